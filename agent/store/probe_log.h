#pragma once
// The probes table (migration 3): every negotiation probe the agent ran, or reused for another
// incident, with the ARCHITECTURE §4.3 JSON that carries the raw answers. The record is also how
// probes are spaced out per target across restarts (each probe is logged on the target).
// Single-threaded, like the Database it borrows.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/store/sqlite.h"
#include "core/clock.h"
#include "core/result.h"

namespace negoheal::store {

struct ProbeRecord {
  std::int64_t id = 0;
  std::optional<std::int64_t> incident_id;  // nullopt: not run for an incident
  std::string target;                       // normalized host
  std::uint16_t port = 0;
  TimePoint at{};  // when the probe started (a reused row: when it was reused)
  std::int64_t elapsed_ms = 0;
  std::string posture;  // probe::posture_name()
  bool explains = false;
  std::string note;
  std::string result_json;                  // probe::to_json(), raw answers included
  std::string cause;                        // why it ran: "incident opened", "reused probe #3", ...
  std::optional<std::int64_t> reused_from;  // set: no packet was sent, this is probe #reused_from's result

  [[nodiscard]] bool reused() const { return reused_from.has_value(); }
};

class ProbeLog {
 public:
  explicit ProbeLog(Database& db) : db_(db) {}

  // Stores `r` (its id is ignored) and returns the new row's id.
  Result<std::int64_t> insert(const ProbeRecord& r);
  Result<std::optional<ProbeRecord>> get(std::int64_t id);
  // The newest probe actually sent to target:port (reused rows sent nothing, so they never count).
  Result<std::optional<ProbeRecord>> latest(std::string_view target, std::uint16_t port);
  // Every row of an incident, oldest first.
  Result<std::vector<ProbeRecord>> for_incident(std::int64_t incident_id);
  // When the probes actually sent since `since` started, oldest first (the hourly cap survives a restart).
  Result<std::vector<TimePoint>> started_since(TimePoint since);

 private:
  Database& db_;
};

}  // namespace negoheal::store
