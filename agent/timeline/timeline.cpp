#include "agent/timeline/timeline.h"

#include <algorithm>
#include <iomanip>
#include <tuple>

#include "agent/probe/x224.h"
#include "agent/store/probe_log.h"
#include "core/host.h"
#include "core/timestamp.h"

namespace negoheal::timeline {
namespace {

using ojson = nlohmann::ordered_json;

std::string event_summary(const ojson& ev) {
  std::string out = "failure";
  const auto get = [&](const char* a, const char* b) -> std::string {
    if (ev.contains(a) && ev[a].is_object() && ev[a].contains(b)) {
      const auto& v = ev[a][b];
      return v.is_string() ? v.get<std::string>() : v.dump();
    }
    return {};
  };
  if (auto fc = get("negoheal", "failure_code"); !fc.empty()) out += " " + fc;
  if (auto rp = get("negoheal", "requested_protocols"); !rp.empty()) out += " requested=" + rp;
  if (auto th = get("negoheal", "thread"); !th.empty()) out += " thread " + th;
  if (auto user = get("user", "name"); !user.empty()) out += " user " + user;
  if (auto att = get("negoheal", "attribution"); !att.empty()) out += " (" + att + ")";
  std::string where = get("log", "offset");
  if (ev.contains("log") && ev["log"].contains("file")) {
    std::string path = ev["log"]["file"].value("path", "");
    const auto slash = path.find_last_of("/\\");
    if (slash != std::string::npos) path = path.substr(slash + 1);
    out += " [" + path + (where.empty() ? "" : "@" + where) + "]";
  }
  return out;
}

// "SSL|HYBRID -> failure 2 SSL_NOT_ALLOWED_BY_SERVER, SSL -> ..., RDP -> response RDP" from the
// answers of a stored §4.3 result. The store is read as untrusted: wrong types read as absent.
std::string answers_summary(const ojson& result) {
  const auto text = [](const ojson& o, const char* key) -> std::string {
    const auto it = o.find(key);
    if (it == o.end()) return {};
    return it->is_string() ? it->get<std::string>() : it->dump();
  };
  if (!result.is_object() || !result.contains("answers") || !result["answers"].is_array()) return "none";
  std::string out;
  for (const auto& a : result["answers"]) {
    if (!a.is_object()) continue;
    if (!out.empty()) out += ", ";
    const auto requested = a.find("requested");
    out += requested != a.end() && requested->is_number_unsigned()
               ? probe::x224::protocol_names(requested->get<std::uint32_t>())
               : std::string("?");
    const std::string reply = text(a, "reply");
    out += " -> " + reply;
    if (reply == "failure") {
      out += " " + text(a, "code") + " " + text(a, "name");
    } else if (reply == "response") {
      out += " " + text(a, "protocol");
    }
  }
  return out.empty() ? "none" : out;
}

Entry probe_entry(const store::ProbeRecord& p, const Incident& inc) {
  Entry e;
  e.at = p.at;
  e.kind = "probe";
  e.incident_id = inc.id;
  e.target = inc.target_label();
  e.order_key = INT64_MAX;  // with the transitions; build() puts it between them
  ojson result = ojson::parse(p.result_json, nullptr, false);
  if (result.is_discarded()) result = nullptr;
  const std::string where = format_host_port(p.target, p.port);
  e.summary = "probe " + where + ": " + p.posture +
              (p.explains ? " (explains the failure)" : " (does not explain the failure)") +
              ", answers: " + answers_summary(result);
  if (!p.note.empty()) e.summary += "; note: " + p.note;
  e.summary += " [" + p.cause + "]";
  e.detail = ojson{{"id", p.id},           {"target", where},
                   {"posture", p.posture}, {"explains_nego_failure", p.explains},
                   {"cause", p.cause},     {"elapsed_ms", p.elapsed_ms}};
  if (p.reused_from) e.detail["reused_from"] = *p.reused_from;
  if (!p.note.empty()) e.detail["note"] = p.note;
  e.detail["result"] = std::move(result);
  return e;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::optional<Format> parse_format(std::string_view name) {
  if (name == "table") return Format::table;
  if (name == "jsonl") return Format::jsonl;
  if (name == "csv") return Format::csv;
  return std::nullopt;
}

Result<Timeline> build(store::Store& store, const store::IncidentFilter& filter) {
  Timeline t;
  auto incidents = store.incidents(filter);
  if (!incidents) return incidents.error();
  t.incidents = std::move(*incidents);
  for (const auto& inc : t.incidents) {
    store::EventFilter ef;
    ef.incident_id = inc.id;
    ef.since = filter.since;
    ef.until = filter.until;
    auto events = store.events(ef);
    if (!events) return events.error();
    for (auto& se : *events) {
      Entry e;
      e.at = se.timestamp.value_or(inc.opened_at);
      e.kind = "failure";
      e.new_attempt = se.attempt;
      e.incident_id = inc.id;
      e.target = inc.target_label();
      e.computer = se.computer.value_or("");
      e.channel = se.channel.value_or("");
      e.order_key = se.record_id.value_or(static_cast<std::int64_t>(se.offset));
      e.detail = ojson::parse(se.json, nullptr, false);
      e.summary = event_summary(e.detail);
      if (!se.attempt) e.summary += " (another line of the same attempt)";
      t.entries.push_back(std::move(e));
    }
    auto transitions = store.transitions(inc.id);
    if (!transitions) return transitions.error();
    auto probes = store::ProbeLog(store.db()).for_incident(inc.id);
    if (!probes) return probes.error();
    const auto in_range = [&](TimePoint at) {
      return !(filter.since && at < *filter.since) && !(filter.until && at > *filter.until);
    };
    // Probes interleave with the transitions in causal order, which the sort below keeps for equal
    // times (a ManualClock, or a probe faster than the clock's tick): a probe comes after the
    // transition that started it and before the ones its result caused (those leave `diagnosing`).
    std::size_t next_probe = 0;
    const auto add_probes_before = [&](const Transition* tr) {
      for (; next_probe < probes->size(); ++next_probe) {
        const auto& p = (*probes)[next_probe];
        if (tr && !(p.at < tr->at || (p.at == tr->at && tr->from == IncidentState::diagnosing))) break;
        if (in_range(p.at)) t.entries.push_back(probe_entry(p, inc));
      }
    };
    for (const auto& tr : *transitions) {
      add_probes_before(&tr);
      if (!in_range(tr.at)) continue;
      Entry e;
      e.at = tr.at;
      e.kind = "transition";
      e.incident_id = inc.id;
      e.target = inc.target_label();
      e.order_key = INT64_MAX;  // after the event that caused it
      e.summary = (tr.from ? std::string(to_string(*tr.from)) : std::string("new")) + " -> " +
                  std::string(to_string(tr.to)) + ": " + tr.cause;
      e.detail = ojson{{"from", tr.from ? ojson(std::string(to_string(*tr.from))) : ojson(nullptr)},
                       {"to", std::string(to_string(tr.to))},
                       {"cause", tr.cause}};
      if (tr.event_id) e.detail["event_id"] = *tr.event_id;
      t.entries.push_back(std::move(e));
    }
    add_probes_before(nullptr);
  }
  std::stable_sort(t.entries.begin(), t.entries.end(), [](const Entry& a, const Entry& b) {
    return std::tie(a.at, a.computer, a.channel, a.order_key, a.incident_id) <
           std::tie(b.at, b.computer, b.channel, b.order_key, b.incident_id);
  });
  return t;
}

void render_incidents(const std::vector<Incident>& incidents, std::ostream& out) {
  std::size_t width = 6;
  for (const auto& inc : incidents)
    width = std::max(width, inc.target_label().size());
  out << std::left << std::setw(9) << "INCIDENT" << std::setw(static_cast<int>(width + 2)) << "TARGET" << std::setw(12)
      << "STATE" << std::setw(26) << "OPENED" << std::setw(26) << "LAST FAILURE"
      << "FAILURES\n";
  for (const auto& inc : incidents) {
    out << std::left << std::setw(9) << ("#" + std::to_string(inc.id)) << std::setw(static_cast<int>(width + 2))
        << inc.target_label() << std::setw(12) << to_string(inc.state) << std::setw(26)
        << format_timestamp(inc.opened_at) << std::setw(26) << format_timestamp(inc.last_failure_at) << inc.failures
        << "\n";
  }
}

void render(const Timeline& t, Format format, std::ostream& out) {
  switch (format) {
    case Format::table: {
      std::size_t width = 6;
      for (const auto& e : t.entries)
        width = std::max(width, e.target.size());
      out << std::left << std::setw(26) << "TIME" << std::setw(10) << "INCIDENT"
          << std::setw(static_cast<int>(width + 2)) << "TARGET" << std::setw(12) << "KIND"
          << "DETAIL\n";
      for (const auto& e : t.entries) {
        out << std::left << std::setw(26) << format_timestamp(e.at) << std::setw(10)
            << ("#" + std::to_string(e.incident_id)) << std::setw(static_cast<int>(width + 2)) << e.target
            << std::setw(12) << e.kind << e.summary << "\n";
      }
      return;
    }
    case Format::jsonl:
      for (const auto& e : t.entries) {
        ojson j;
        j["@timestamp"] = format_timestamp(e.at);
        j["kind"] = e.kind;
        j["incident"] = {{"id", e.incident_id}, {"target", e.target}};
        j[e.kind == "failure" ? "event" : e.kind] = e.detail;
        if (e.kind == "failure") j["same_attempt"] = !e.new_attempt;
        out << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
      }
      return;
    case Format::csv:
      out << "time,incident,target,kind,computer,channel,order,detail\n";
      for (const auto& e : t.entries) {
        out << format_timestamp(e.at) << "," << e.incident_id << "," << csv_field(e.target) << "," << e.kind << ","
            << csv_field(e.computer) << "," << csv_field(e.channel) << ","
            << (e.order_key == INT64_MAX ? std::string() : std::to_string(e.order_key)) << "," << csv_field(e.summary)
            << "\n";
      }
      return;
  }
}

}  // namespace negoheal::timeline
