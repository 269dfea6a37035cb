#include "agent/timeline/timeline.h"

#include <algorithm>
#include <iomanip>
#include <tuple>

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
    for (const auto& tr : *transitions) {
      if ((filter.since && tr.at < *filter.since) || (filter.until && tr.at > *filter.until)) continue;
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
        j[e.kind == "failure" ? "event" : "transition"] = e.detail;
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
