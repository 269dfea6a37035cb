#pragma once
// The incident store: events (idempotent on source identity + byte offset), incidents and their
// transitions, in one SQLite file in WAL mode. The schema is versioned (PRAGMA user_version) and
// migrated forward on open; a store newer than this binary is refused, not damaged.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agent/store/sqlite.h"
#include "core/event.h"
#include "core/incident.h"

namespace negoheal::store {

struct StoredEvent {
  std::int64_t id = 0;
  std::int64_t source_id = 0;
  std::uint64_t offset = 0;
  std::optional<std::int64_t> incident_id;
  std::optional<TimePoint> timestamp;
  std::optional<std::string> host;
  std::optional<std::string> computer;
  std::optional<std::string> channel;
  std::optional<std::int64_t> record_id;
  bool attempt = true;  // false: a further line of an attempt already counted
  std::string json;     // the event as `parse` prints it
};

struct EventFilter {
  std::optional<std::string> host;  // normalized; "(unattributed)" selects events without a host
  std::optional<TimePoint> since;
  std::optional<TimePoint> until;
  std::optional<std::int64_t> incident_id;
};

struct IncidentFilter {
  std::optional<std::string> host;
  std::optional<TimePoint> since;  // incidents whose activity overlaps [since, until]
  std::optional<TimePoint> until;
};

class Store {
 public:
  static Result<std::unique_ptr<Store>> open(const std::filesystem::path& path);

  Database& db() { return *db_; }

  // The id of an input (file identity), created on first sight.
  Result<std::int64_t> source_id(std::string_view identity, std::string_view path);

  struct Inserted {
    std::int64_t id = 0;
    bool is_new = false;  // false: this (source, offset) was stored before
  };
  Result<Inserted> insert_event(std::int64_t source_id, std::uint64_t offset, const Event& e);
  Status link_event(std::int64_t event_id, std::optional<std::int64_t> incident_id, bool new_attempt);
  // Links the target's unlinked failures in [since, until] to an incident that just opened.
  Status link_pending(const std::optional<std::string>& target, TimePoint since, TimePoint until,
                      std::int64_t incident_id);

  Status upsert_incident(const Incident& inc);
  Status add_transition(const Transition& t);
  Result<std::int64_t> max_incident_id();
  Result<std::vector<Incident>> open_incidents();
  Result<std::vector<Incident>> incidents(const IncidentFilter& f);
  Result<std::vector<Transition>> transitions(std::int64_t incident_id);
  Result<std::vector<StoredEvent>> events(const EventFilter& f);

 private:
  explicit Store(std::unique_ptr<Database> db) : db_(std::move(db)) {}
  Status migrate();
  Status prepare_statements();

  std::unique_ptr<Database> db_;
  Statement find_source_, insert_source_, insert_event_, find_event_, link_event_, upsert_incident_, add_transition_,
      link_pending_host_, link_pending_unattributed_;
};

std::int64_t to_micros(TimePoint t);
TimePoint from_micros(std::int64_t us);

}  // namespace negoheal::store
