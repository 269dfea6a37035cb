#include "parsers/nps/line_fields.h"

#include <re2/re2.h>

#include "core/host.h"
#include "core/timestamp.h"

namespace negoheal::parsers {
namespace {

std::unique_ptr<re2::RE2> compile_one(const std::string& pattern) {
  re2::RE2::Options opts;
  opts.set_log_errors(false);
  opts.set_max_mem(8 << 20);
  return std::make_unique<re2::RE2>(pattern, opts);
}

// Value of named group `name` in the last match, if the pattern has it and it matched.
std::optional<std::string> group(const re2::RE2& re, const std::vector<re2::StringPiece>& caps, const char* name) {
  const auto& names = re.NamedCapturingGroups();
  const auto it = names.find(name);
  if (it == names.end()) return std::nullopt;
  const auto& sp = caps[static_cast<std::size_t>(it->second)];
  if (sp.data() == nullptr || sp.empty()) return std::nullopt;
  return std::string(sp.data(), sp.size());
}

bool match(const re2::RE2& re, std::string_view line, std::vector<re2::StringPiece>& caps) {
  caps.assign(static_cast<std::size_t>(re.NumberOfCapturingGroups()) + 1, re2::StringPiece());
  return re.Match(re2::StringPiece(line.data(), line.size()), 0, line.size(), re2::RE2::UNANCHORED, caps.data(),
                  static_cast<int>(caps.size()));
}

}  // namespace

struct LinePatterns::Builtin {
  // key=value / key: value fields naming the target, the user, the session.
  re2::RE2 target_field{
      R"re((?i)(?:^|[\s,;{(\[])"?(?:target|targethost|host|hostname|server|destination|dest|computer|computername|resource|remote|peer)"?\s*[=:]\s*["']?(\[[0-9A-Fa-f:.]+\](?::\d{1,5})?|[^\s"',;)\]}]+))re"};
  re2::RE2 host_port{
      R"re((?:^|[\s(\[<"'=,@/])(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?):(\d{1,5})(?:$|[^\d:.\w]|[.:](?:\s|$)))re"};
  re2::RE2 ipv4{R"re((?:^|[^\d.\w])(\d{1,3}(?:\.\d{1,3}){3})(?:$|[^\d.\w]|\.(?:\s|$)))re"};
  re2::RE2 ipv6{R"re((?:^|[\s(\[<"'=,])([0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7})(?:$|[\s)\]>"',]))re"};
  re2::RE2 user_field{
      R"re((?i)(?:^|[\s,;{(\[])"?(?:user|username|user_name|account)"?\s*[=:]\s*["']?([^\s"',;)\]}]+))re"};
  re2::RE2 session_field{
      R"re((?i)(?:^|[\s,;{(\[])"?(?:session|sessionid|session_id)"?\s*[=:]\s*["']?([A-Za-z0-9._:{}-]+))re"};
};

LinePatterns::LinePatterns() : builtin_(std::make_unique<Builtin>()) {}
LinePatterns::~LinePatterns() = default;

Result<std::shared_ptr<const LinePatterns>> LinePatterns::compile(const std::vector<std::string>& line_formats,
                                                                  const std::vector<std::string>& context_patterns) {
  std::shared_ptr<LinePatterns> p(new LinePatterns());
  static constexpr std::string_view k_groups[] = {"ts", "host", "port", "user", "session"};
  for (std::size_t i = 0; i < line_formats.size(); ++i) {
    auto re = compile_one(line_formats[i]);
    const std::string where = "line_formats[" + std::to_string(i) + "]";
    if (!re->ok()) return make_error(where + ": invalid RE2 pattern: " + re->error());
    bool any = false;
    for (const auto& [name, idx] : re->NamedCapturingGroups()) {
      bool known = false;
      for (auto g : k_groups)
        known = known || g == name;
      if (!known) {
        return make_error(where + ": unknown named group '" + name + "' (valid: ts, host, port, user, session)");
      }
      any = true;
    }
    if (!any) return make_error(where + ": needs at least one named group (ts, host, port, user, session)");
    p->formats_.push_back(std::move(re));
  }
  for (std::size_t i = 0; i < context_patterns.size(); ++i) {
    auto re = compile_one(context_patterns[i]);
    const std::string where = "context_patterns[" + std::to_string(i) + "]";
    if (!re->ok()) return make_error(where + ": invalid RE2 pattern: " + re->error());
    if (re->NamedCapturingGroups().count("host") == 0) return make_error(where + ": needs a named group (?P<host>...)");
    p->context_.push_back(std::move(re));
  }
  return std::shared_ptr<const LinePatterns>(std::move(p));
}

LineFields LinePatterns::extract(std::string_view line, const TimeAnchor& anchor) const {
  LineFields out;
  std::vector<re2::StringPiece> caps;
  for (const auto& re : formats_) {
    if (!match(*re, line, caps)) continue;
    out.from_declared_format = true;
    if (auto ts = group(*re, caps, "ts")) {
      if (auto p = parse_leading_timestamp(*ts, anchor.local_utc_offset)) out.timestamp = p->time;
    }
    if (auto h = group(*re, caps, "host")) out.host_text = *h;
    if (auto port = group(*re, caps, "port")) {
      if (auto v = parse_port(*port)) out.port = *v;
    }
    out.user = group(*re, caps, "user");
    out.session = group(*re, caps, "session");
    return out;
  }

  // Heuristics: a leading timestamp, optionally inside [ ] or ( ).
  std::size_t start = 0;
  while (start < line.size() && (line[start] == ' ' || line[start] == '\t'))
    ++start;
  if (start < line.size() && (line[start] == '[' || line[start] == '(')) ++start;
  std::string_view rest = line;
  if (auto ts = parse_leading_timestamp(line.substr(start), anchor.local_utc_offset)) {
    out.timestamp = ts->time;
    rest = line.substr(start + ts->length);
  }
  const re2::StringPiece text(rest.data(), rest.size());
  std::string a, b;
  if (re2::RE2::PartialMatch(text, builtin_->target_field, &a)) {
    out.host_text = a;
  } else if (re2::RE2::PartialMatch(text, builtin_->host_port, &a, &b)) {
    out.host_text = a;
    if (auto v = parse_port(b)) out.port = *v;
  } else if (re2::RE2::PartialMatch(text, builtin_->ipv4, &a)) {
    out.host_text = a;
  } else if (re2::RE2::PartialMatch(text, builtin_->ipv6, &a) && normalize_host(a)) {
    out.host_text = a;
  }
  if (re2::RE2::PartialMatch(text, builtin_->user_field, &a)) out.user = a;
  if (re2::RE2::PartialMatch(text, builtin_->session_field, &a)) out.session = a;
  return out;
}

std::optional<ContextMatch> LinePatterns::match_context(std::string_view line) const {
  std::vector<re2::StringPiece> caps;
  for (const auto& re : context_) {
    if (!match(*re, line, caps)) continue;
    auto host = group(*re, caps, "host");
    if (!host) continue;
    ContextMatch m{*host, std::nullopt, group(*re, caps, "session")};
    if (auto port = group(*re, caps, "port")) {
      if (auto v = parse_port(*port)) m.port = *v;
    }
    return m;
  }
  return std::nullopt;
}

}  // namespace negoheal::parsers
