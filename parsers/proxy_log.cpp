#include "parsers/proxy_log.h"

#include <charconv>
#include <cstring>

#include "core/host.h"
#include "parsers/freerdp/wlog_line.h"
#include "parsers/nego_tokens.h"

namespace negoheal::parsers {
namespace {

std::vector<AnchorScanner::Anchor> proxy_anchors() {
  return {
      {"connecting to peer", false},
      {"RequestedProtocols", false},
      {"selected_protocol", false},
      {"_SERVER", false},              // Error: SSL_NOT_ALLOWED_BY_SERVER and friends
      {"Negotiation Failure", false},  // Protocol Security Negotiation Failure
      {"NEGO_CONNECT_FAILED", false},  // ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED
      {"2000c", true},                 // 0x0002000C / 0x2000C, any case
      {"131084", false},
      {"negotiating security", false},  // The connection failed at negotiating security settings
  };
}

std::optional<std::uint32_t> number_after(std::string_view msg, std::string_view prefix) {
  if (msg.substr(0, prefix.size()) != prefix) return std::nullopt;
  auto rest = msg.substr(prefix.size());
  while (!rest.empty() && rest.front() == ' ')
    rest.remove_prefix(1);
  std::uint32_t v = 0;
  auto [p, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), v);
  if (ec != std::errc() || p == rest.data()) return std::nullopt;
  return v;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

}  // namespace

TimePoint resolve_time_of_day(std::chrono::milliseconds time_of_day, const TimeAnchor& anchor) {
  using namespace std::chrono;
  const auto offset = duration_cast<microseconds>(anchor.local_utc_offset);
  const TimePoint local_ref = anchor.reference + offset;
  const auto day = floor<days>(local_ref);
  TimePoint candidate = TimePoint(duration_cast<microseconds>(day.time_since_epoch()) + time_of_day);
  if (candidate > local_ref + minutes(5)) candidate -= duration_cast<microseconds>(days(1));
  return candidate - offset;
}

ProxyLogParser::ProxyLogParser(ProxyLogOptions options, std::string file_path)
    : options_(std::move(options)), file_path_(std::move(file_path)), scanner_(proxy_anchors()) {}

void ProxyLogParser::feed(std::string_view data, std::uint64_t base_offset, const TimeAnchor& anchor,
                          const EventSink& sink) {
  stats_.bytes += data.size();
  std::size_t skip = 0;
  if (base_offset == 0 && data.substr(0, 3) == "\xEF\xBB\xBF") skip = 3;
  auto line_at = [&](std::size_t begin) {
    const char* nl = static_cast<const char*>(std::memchr(data.data() + begin, '\n', data.size() - begin));
    return nl ? static_cast<std::size_t>(nl - data.data()) : data.size();
  };
  if (options_.patterns->has_context_patterns()) {
    // Slow path: configured context patterns must see every line.
    for (std::size_t begin = skip; begin < data.size();) {
      const std::size_t end = line_at(begin);
      line(data.substr(begin, end - begin), base_offset + begin, anchor, sink);
      begin = end + 1;
    }
    return;
  }
  std::size_t pos = skip;
  while (pos < data.size()) {
    const std::size_t hit = scanner_.find(data, pos);
    if (hit == std::string_view::npos) break;
    std::size_t begin = hit;
    while (begin > pos && data[begin - 1] != '\n')
      --begin;
    const std::size_t end = line_at(hit);
    line(data.substr(begin, end - begin), base_offset + begin, anchor, sink);
    pos = end + 1;
  }
}

void ProxyLogParser::line(std::string_view text, std::uint64_t offset, const TimeAnchor& anchor,
                          const EventSink& sink) {
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  ++stats_.candidate_lines;
  ++clock_;
  if (options_.format != TextFormat::nps) {
    if (auto w = parse_wlog_line(text)) {
      wlog_line(text, offset, *w, anchor, sink);
      return;
    }
    if (options_.format == TextFormat::freerdp) return;
  }
  nps_line(text, offset, anchor, sink);
}

ProxyLogParser::Context& ProxyLogParser::context(std::string_view key) {
  auto it = contexts_.find(key);
  if (it == contexts_.end()) {
    if (contexts_.size() >= options_.max_contexts) {
      // Forget the least recently used half; a thread silent that long has ended its attempt.
      std::vector<std::uint64_t> ages;
      ages.reserve(contexts_.size());
      for (const auto& [k, c] : contexts_)
        ages.push_back(c.touched);
      std::nth_element(ages.begin(), ages.begin() + static_cast<std::ptrdiff_t>(ages.size() / 2), ages.end());
      const auto cutoff = ages[ages.size() / 2];
      std::erase_if(contexts_, [&](const auto& kv) { return kv.second.touched <= cutoff; });
    }
    it = contexts_.emplace(std::string(key), Context{}).first;
  }
  it->second.touched = clock_;
  return it->second;
}

void ProxyLogParser::set_context_host(Context& c, std::string_view host_text, std::optional<std::uint16_t> port) {
  host_text = trim(host_text);
  if (!c.host_rejected && c.host && c.host_text == host_text && !port) {
    // The same peer again (FreeRDP retries TLS after NLA): a new attempt, already validated.
    const auto host = std::move(c.host);
    const auto known_port = c.port;
    c = Context{};
    c.host = host;
    c.port = known_port;
    c.host_text = std::string(host_text);
    c.touched = clock_;
    return;
  }
  c = Context{};
  c.touched = clock_;
  c.host_text = std::string(host_text);
  auto hp = parse_host_port(host_text);
  if (!hp) {
    c.host_rejected = true;
    ++stats_.rejected_hosts;
    return;
  }
  c.host = std::move(hp->host);
  c.port = port ? port : hp->port;
}

void ProxyLogParser::emit(Event&& e, const EventSink& sink) {
  ++stats_.events;
  sink(std::move(e));
}

void ProxyLogParser::wlog_line(std::string_view text, std::uint64_t offset, const WlogLine& w, const TimeAnchor& anchor,
                               const EventSink& sink) {
  const std::string_view msg = w.message;
  if (options_.patterns->has_context_patterns()) {
    if (auto m = options_.patterns->match_context(msg)) {
      set_context_host(context(w.thread), m->host_text, m->port);
      return;
    }
  }
  if (msg.substr(0, 19) == "connecting to peer ") {
    set_context_host(context(w.thread), msg.substr(19), std::nullopt);
    return;
  }
  if (auto n = number_after(msg, "RequestedProtocols:")) {
    auto& c = context(w.thread);
    c.requested = *n;
    c.selected.reset();
    c.reported = false;
    return;
  }
  if (auto n = number_after(msg, "selected_protocol:")) {
    context(w.thread).selected = *n;
    return;
  }
  if (auto name = server_failure_name(msg)) {
    auto& c = context(w.thread);
    c.failure_code = std::string(*name);
    c.reported = false;
    return;
  }
  if (has_nego_failure_line(msg)) {
    context(w.thread).reported = false;
    return;
  }
  if (!has_failure_code_token(msg)) return;
  auto& c = context(w.thread);
  if (c.reported) {
    ++stats_.duplicates_suppressed;
    return;
  }
  c.reported = true;
  Event e;
  e.timestamp = resolve_time_of_day(w.time_of_day, anchor);
  e.code = std::string(k_nego_failure_code);
  e.outcome = "failure";
  e.provider = "freerdp";
  e.original = std::string(text);
  e.host = c.host;
  e.port = c.port;
  e.failure_code = c.failure_code;
  e.requested_protocols = c.requested;
  e.selected_protocol = c.selected;
  e.thread = std::string(w.thread);
  if (c.host) {
    e.attribution = "thread-context";
  } else if (c.host_rejected) {
    e.attribution = "rejected-host";
  }
  e.file_path = file_path_;
  e.offset = offset;
  emit(std::move(e), sink);
}

void ProxyLogParser::nps_line(std::string_view text, std::uint64_t offset, const TimeAnchor& anchor,
                              const EventSink& sink) {
  const auto& patterns = *options_.patterns;
  if (patterns.has_context_patterns()) {
    if (auto m = patterns.match_context(text)) {
      if (m->session) set_context_host(context("session:" + *m->session), m->host_text, m->port);
      return;
    }
  }
  const bool code_token = has_failure_code_token(text);
  const auto server_failure = server_failure_name(text);
  if (!code_token && !server_failure && !has_nego_failure_line(text)) return;

  LineFields f = patterns.extract(text, anchor);
  Event e;
  e.timestamp = f.timestamp;
  e.code = std::string(k_nego_failure_code);
  e.outcome = "failure";
  e.provider = "nps-proxy";
  e.original = std::string(text);
  if (server_failure) e.failure_code = std::string(*server_failure);
  e.user = f.user;
  e.session = f.session;
  if (f.host_text) {
    if (auto hp = parse_host_port(trim(*f.host_text))) {
      e.host = std::move(hp->host);
      e.port = f.port ? f.port : hp->port;
      e.attribution = f.from_declared_format ? "line-format" : "line";
    } else {
      ++stats_.rejected_hosts;
      e.attribution = "rejected-host";
    }
  }
  if (!e.host && f.session) {
    auto it = contexts_.find("session:" + *f.session);
    if (it != contexts_.end() && it->second.host) {
      e.host = it->second.host;
      e.port = it->second.port;
      e.attribution = "session-context";
    }
  }
  e.file_path = file_path_;
  e.offset = offset;
  emit(std::move(e), sink);
}

}  // namespace negoheal::parsers
