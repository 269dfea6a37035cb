#pragma once
// Everything that happened to the selected incidents, in time order: events, transitions, probes
// (and, as later stages land, actions and alerts). Ties are broken by computer, channel and
// record id / file offset, so the order is stable across runs; a probe sits between the
// transition that started it and those its result caused.
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/store/store.h"
#include "core/incident.h"

namespace negoheal::timeline {

enum class Format { table, jsonl, csv };
std::optional<Format> parse_format(std::string_view name);

struct Entry {
  TimePoint at{};
  std::string kind;  // "failure" (an event), "transition" or "probe"
  std::int64_t incident_id = 0;
  std::string target;
  std::string computer;
  std::string channel;
  std::int64_t order_key = 0;  // record id or byte offset
  bool new_attempt = true;     // failure: false when another line of a counted attempt
  std::string summary;         // one line for humans
  nlohmann::ordered_json detail;
};

struct Timeline {
  std::vector<Incident> incidents;
  std::vector<Entry> entries;
};

Result<Timeline> build(store::Store& store, const store::IncidentFilter& filter);
void render(const Timeline& t, Format format, std::ostream& out);
void render_incidents(const std::vector<Incident>& incidents, std::ostream& out);

}  // namespace negoheal::timeline
