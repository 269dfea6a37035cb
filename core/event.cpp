#include "core/event.h"

#include <nlohmann/json.hpp>

#include "core/host.h"
#include "core/timestamp.h"

namespace negoheal {

using ojson = nlohmann::ordered_json;

std::string to_json_line(const Event& e) {
  ojson j;
  if (e.timestamp) j["@timestamp"] = format_timestamp(*e.timestamp);
  ojson ev;
  if (!e.code.empty()) ev["code"] = e.code;
  ev["kind"] = e.kind;
  if (!e.outcome.empty()) ev["outcome"] = e.outcome;
  if (!e.provider.empty()) ev["provider"] = e.provider;
  ev["original"] = e.original;
  j["event"] = std::move(ev);
  if (e.host || e.port) {
    ojson d;
    if (e.host) d["address"] = *e.host;
    if (e.port) d["port"] = *e.port;
    j["destination"] = std::move(d);
  }
  if (e.user) j["user"]["name"] = *e.user;
  ojson n;
  if (e.failure_code) n["failure_code"] = *e.failure_code;
  if (e.requested_protocols) n["requested_protocols"] = *e.requested_protocols;
  if (e.selected_protocol) n["selected_protocol"] = *e.selected_protocol;
  if (e.thread) n["thread"] = *e.thread;
  if (e.session) n["session"] = *e.session;
  if (e.attribution) n["attribution"] = *e.attribution;
  if (!n.empty()) j["negoheal"] = std::move(n);
  if (e.file_path || e.offset) {
    ojson l;
    if (e.file_path) l["file"]["path"] = *e.file_path;
    if (e.offset) l["offset"] = *e.offset;
    j["log"] = std::move(l);
  }
  ojson w;
  if (e.channel) w["channel"] = *e.channel;
  if (e.event_id) w["event_id"] = *e.event_id;
  if (e.record_id) w["record_id"] = *e.record_id;
  if (e.computer_name) w["computer_name"] = *e.computer_name;
  if (!w.empty()) j["winlog"] = std::move(w);
  // Invalid UTF-8 in a log line is replaced, not fatal: a log agent must never stop on bad bytes.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

namespace {

template <class T>
Result<std::optional<T>> opt_field(const ojson& obj, const char* key, const char* path) {
  if (!obj.is_object() || !obj.contains(key) || obj[key].is_null()) return std::optional<T>{};
  const auto& v = obj[key];
  if constexpr (std::is_same_v<T, std::string>) {
    if (!v.is_string()) return make_error(std::string(path) + ": expected a string");
    return std::optional<T>(v.get<std::string>());
  } else {
    if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<std::int64_t>() >= 0)) {
      return make_error(std::string(path) + ": expected a non-negative integer");
    }
    const auto u = v.get<std::uint64_t>();
    if (u > std::numeric_limits<T>::max()) return make_error(std::string(path) + ": out of range");
    return std::optional<T>(static_cast<T>(u));
  }
}

}  // namespace

Result<Event> event_from_json(std::string_view text) {
  ojson j = ojson::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return make_error("not a JSON object");
  Event e;
  Error err;
  bool failed = false;
  auto take = [&](auto result, auto& dst) {
    if (failed) return;
    if (!result) {
      err = result.error();
      failed = true;
      return;
    }
    dst = *result;
  };
  std::optional<std::string> ts;
  take(opt_field<std::string>(j, "@timestamp", "/@timestamp"), ts);
  if (!failed && ts) {
    auto t = parse_timestamp(*ts);
    if (!t) return make_error("/@timestamp: " + t.error().message);
    e.timestamp = *t;
  }
  static const ojson k_empty = ojson::object();
  const auto& ev = j.contains("event") ? j["event"] : k_empty;
  std::optional<std::string> s;
  take(opt_field<std::string>(ev, "code", "/event/code"), s);
  e.code = s.value_or("");
  s.reset();
  take(opt_field<std::string>(ev, "kind", "/event/kind"), s);
  e.kind = s.value_or("event");
  s.reset();
  take(opt_field<std::string>(ev, "outcome", "/event/outcome"), s);
  e.outcome = s.value_or("");
  s.reset();
  take(opt_field<std::string>(ev, "provider", "/event/provider"), s);
  e.provider = s.value_or("");
  s.reset();
  take(opt_field<std::string>(ev, "original", "/event/original"), s);
  e.original = s.value_or("");
  const auto& dst = j.contains("destination") ? j["destination"] : k_empty;
  take(opt_field<std::string>(dst, "address", "/destination/address"), e.host);
  take(opt_field<std::uint16_t>(dst, "port", "/destination/port"), e.port);
  if (!failed && e.host) {
    auto h = normalize_host(*e.host);
    if (!h) return make_error("/destination/address: " + h.error().message);
    e.host = *h;
  }
  const auto& user = j.contains("user") ? j["user"] : k_empty;
  take(opt_field<std::string>(user, "name", "/user/name"), e.user);
  const auto& n = j.contains("negoheal") ? j["negoheal"] : k_empty;
  take(opt_field<std::string>(n, "failure_code", "/negoheal/failure_code"), e.failure_code);
  take(opt_field<std::uint32_t>(n, "requested_protocols", "/negoheal/requested_protocols"), e.requested_protocols);
  take(opt_field<std::uint32_t>(n, "selected_protocol", "/negoheal/selected_protocol"), e.selected_protocol);
  take(opt_field<std::string>(n, "thread", "/negoheal/thread"), e.thread);
  take(opt_field<std::string>(n, "session", "/negoheal/session"), e.session);
  take(opt_field<std::string>(n, "attribution", "/negoheal/attribution"), e.attribution);
  const auto& log = j.contains("log") ? j["log"] : k_empty;
  const auto& file = log.is_object() && log.contains("file") ? log["file"] : k_empty;
  take(opt_field<std::string>(file, "path", "/log/file/path"), e.file_path);
  take(opt_field<std::uint64_t>(log, "offset", "/log/offset"), e.offset);
  const auto& w = j.contains("winlog") ? j["winlog"] : k_empty;
  take(opt_field<std::string>(w, "channel", "/winlog/channel"), e.channel);
  take(opt_field<std::uint32_t>(w, "event_id", "/winlog/event_id"), e.event_id);
  take(opt_field<std::uint64_t>(w, "record_id", "/winlog/record_id"), e.record_id);
  take(opt_field<std::string>(w, "computer_name", "/winlog/computer_name"), e.computer_name);
  if (failed) return err;
  return e;
}

}  // namespace negoheal
