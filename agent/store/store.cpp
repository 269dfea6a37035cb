#include "agent/store/store.h"

#include <chrono>

#include "agent/store/migrations.h"
#include "core/timestamp.h"

namespace negoheal::store {

std::int64_t to_micros(TimePoint t) {
  return t.time_since_epoch().count();
}
TimePoint from_micros(std::int64_t us) {
  return TimePoint(std::chrono::microseconds(us));
}

Result<std::unique_ptr<Store>> Store::open(const std::filesystem::path& path) {
  auto db = Database::open(path);
  if (!db) return db.error();
  std::unique_ptr<Store> s(new Store(std::move(*db)));
  if (auto st = s->migrate(); !st) return make_error(path.string() + ": " + st.error().message);
  if (auto st = s->prepare_statements(); !st) return st.error();
  return s;
}

Status Store::migrate() {
  auto q = db_->prepare("PRAGMA user_version");
  if (!q) return q.error();
  auto row = q->step();
  if (!row) return row.error();
  const auto version = static_cast<int>(q->int64(0));
  q->reset();
  if (version > static_cast<int>(k_migrations.size())) {
    return make_error("store schema version " + std::to_string(version) + " is newer than this negoheal (" +
                      std::to_string(k_migrations.size()) + "); refusing to touch it");
  }
  for (auto v = static_cast<std::size_t>(version); v < k_migrations.size(); ++v) {
    Transaction tx(*db_);
    if (!tx.begun()) return tx.begun().error();
    if (auto st = db_->exec(k_migrations[v]); !st)
      return make_error("migration " + std::to_string(v + 1) + ": " + st.error().message);
    if (auto st = db_->exec("PRAGMA user_version=" + std::to_string(v + 1)); !st) return st;
    if (auto st = tx.commit(); !st) return st;
  }
  return {};
}

Status Store::prepare_statements() {
  struct Item {
    Statement* target;
    const char* sql;
  };
  const Item items[] = {
      {&find_source_, "SELECT id FROM sources WHERE identity=?1"},
      {&insert_source_, "INSERT INTO sources(identity, path, first_seen) VALUES(?1, ?2, ?3)"},
      {&insert_event_,
       "INSERT OR IGNORE INTO events(source_id, offset, ts, host, code, computer, channel, record_id, json) "
       "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"},
      {&find_event_, "SELECT id FROM events WHERE source_id=?1 AND offset=?2"},
      {&link_event_, "UPDATE events SET incident_id=?2, attempt=?3 WHERE id=?1"},
      {&upsert_incident_,
       "INSERT INTO incidents(id, target, port, state, opened_at, updated_at, last_failure_at, failures) "
       "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(id) DO UPDATE SET target=excluded.target, "
       "port=excluded.port, state=excluded.state, updated_at=excluded.updated_at, "
       "last_failure_at=excluded.last_failure_at, failures=excluded.failures"},
      {&link_pending_host_,
       "UPDATE events SET incident_id=?1 WHERE incident_id IS NULL AND host=?2 AND code=?3 AND ts BETWEEN ?4 AND ?5"},
      {&link_pending_unattributed_,
       "UPDATE events SET incident_id=?1 WHERE incident_id IS NULL AND host IS NULL AND code=?3 AND ts BETWEEN ?4 AND "
       "?5"},
      {&add_transition_,
       "INSERT INTO transitions(incident_id, at, from_state, to_state, cause, event_id) VALUES(?1, ?2, ?3, ?4, ?5, "
       "?6)"},
  };
  for (const auto& item : items) {
    auto st = db_->prepare(item.sql);
    if (!st) return st.error();
    *item.target = std::move(*st);
  }
  return {};
}

Result<std::int64_t> Store::source_id(std::string_view identity, std::string_view path) {
  find_source_.bind(1, identity);
  auto row = find_source_.step();
  if (!row) return row.error();
  if (*row) {
    const auto id = find_source_.int64(0);
    find_source_.reset();
    return id;
  }
  find_source_.reset();
  insert_source_.bind(1, identity).bind(2, path).bind(3, to_micros(SystemClock().now()));
  if (auto st = insert_source_.run(); !st) return st.error();
  return db_->last_insert_id();
}

Result<Store::Inserted> Store::insert_event(std::int64_t source_id, std::uint64_t offset, const Event& e) {
  insert_event_.bind(1, source_id).bind(2, static_cast<std::int64_t>(offset));
  if (e.timestamp) {
    insert_event_.bind(3, to_micros(*e.timestamp));
  } else {
    insert_event_.bind(3, std::nullopt);
  }
  insert_event_.bind(4, e.host).bind(5, std::string_view(e.code)).bind(6, e.computer_name).bind(7, e.channel);
  if (e.record_id) {
    insert_event_.bind(8, static_cast<std::int64_t>(*e.record_id));
  } else {
    insert_event_.bind(8, std::nullopt);
  }
  const std::string json = to_json_line(e);
  insert_event_.bind(9, std::string_view(json));
  if (auto st = insert_event_.run(); !st) return st.error();
  if (db_->changes() == 1) return Inserted{db_->last_insert_id(), true};
  find_event_.bind(1, source_id).bind(2, static_cast<std::int64_t>(offset));
  auto row = find_event_.step();
  if (!row) return row.error();
  const auto id = *row ? find_event_.int64(0) : 0;
  find_event_.reset();
  return Inserted{id, false};
}

Status Store::link_event(std::int64_t event_id, std::optional<std::int64_t> incident_id, bool new_attempt) {
  link_event_.bind(1, event_id).bind(2, incident_id).bind(3, std::int64_t{new_attempt ? 1 : 0});
  return link_event_.run();
}

Status Store::link_pending(const std::optional<std::string>& target, TimePoint since, TimePoint until,
                           std::int64_t incident_id) {
  Statement& q = target ? link_pending_host_ : link_pending_unattributed_;
  q.bind(1, incident_id).bind(3, k_nego_failure_code).bind(4, to_micros(since)).bind(5, to_micros(until));
  if (target) q.bind(2, std::string_view(*target));
  return q.run();
}

Status Store::upsert_incident(const Incident& inc) {
  upsert_incident_.bind(1, inc.id).bind(2, inc.target);
  if (inc.port) {
    upsert_incident_.bind(3, static_cast<std::int64_t>(*inc.port));
  } else {
    upsert_incident_.bind(3, std::nullopt);
  }
  upsert_incident_.bind(4, to_string(inc.state))
      .bind(5, to_micros(inc.opened_at))
      .bind(6, to_micros(inc.updated_at))
      .bind(7, to_micros(inc.last_failure_at))
      .bind(8, inc.failures);
  return upsert_incident_.run();
}

Status Store::add_transition(const Transition& t) {
  add_transition_.bind(1, t.incident_id).bind(2, to_micros(t.at));
  if (t.from) {
    add_transition_.bind(3, to_string(*t.from));
  } else {
    add_transition_.bind(3, std::nullopt);
  }
  add_transition_.bind(4, to_string(t.to)).bind(5, std::string_view(t.cause)).bind(6, t.event_id);
  return add_transition_.run();
}

Result<std::int64_t> Store::max_incident_id() {
  auto q = db_->prepare("SELECT COALESCE(MAX(id), 0) FROM incidents");
  if (!q) return q.error();
  auto row = q->step();
  if (!row) return row.error();
  return q->int64(0);
}

namespace {

Incident read_incident(const Statement& q) {
  Incident inc;
  inc.id = q.int64(0);
  inc.target = q.optional_text(1);
  if (auto p = q.optional_int64(2)) inc.port = static_cast<std::uint16_t>(*p);
  inc.state = parse_incident_state(q.text(3)).value_or(IncidentState::detected);
  inc.opened_at = from_micros(q.int64(4));
  inc.updated_at = from_micros(q.int64(5));
  inc.last_failure_at = from_micros(q.int64(6));
  inc.failures = q.int64(7);
  return inc;
}

constexpr const char* k_incident_columns =
    "SELECT id, target, port, state, opened_at, updated_at, last_failure_at, failures FROM incidents ";

Result<std::vector<Incident>> collect_incidents(Statement& q) {
  std::vector<Incident> out;
  while (true) {
    auto row = q.step();
    if (!row) return row.error();
    if (!*row) break;
    out.push_back(read_incident(q));
  }
  return out;
}

}  // namespace

Result<std::vector<Incident>> Store::open_incidents() {
  auto q = db_->prepare(std::string(k_incident_columns) +
                        "WHERE state NOT IN ('resolved','escalated','suppressed') ORDER BY id");
  if (!q) return q.error();
  return collect_incidents(*q);
}

Result<std::vector<Incident>> Store::incidents(const IncidentFilter& f) {
  std::string sql = std::string(k_incident_columns) + "WHERE 1=1";
  if (f.host) sql += f.host == std::string(k_unattributed) ? " AND target IS NULL" : " AND target=?1";
  if (f.since) sql += " AND MAX(updated_at, last_failure_at) >= ?2";
  if (f.until) sql += " AND opened_at <= ?3";
  sql += " ORDER BY opened_at, id";
  auto q = db_->prepare(sql);
  if (!q) return q.error();
  if (f.host && *f.host != k_unattributed) q->bind(1, std::string_view(*f.host));
  if (f.since) q->bind(2, to_micros(*f.since));
  if (f.until) q->bind(3, to_micros(*f.until));
  return collect_incidents(*q);
}

Result<std::vector<Transition>> Store::transitions(std::int64_t incident_id) {
  auto q = db_->prepare(
      "SELECT incident_id, at, from_state, to_state, cause, event_id FROM transitions WHERE incident_id=?1 ORDER BY "
      "id");
  if (!q) return q.error();
  q->bind(1, incident_id);
  std::vector<Transition> out;
  while (true) {
    auto row = q->step();
    if (!row) return row.error();
    if (!*row) break;
    Transition t;
    t.incident_id = q->int64(0);
    t.at = from_micros(q->int64(1));
    if (auto from = q->optional_text(2)) t.from = parse_incident_state(*from);
    t.to = parse_incident_state(q->text(3)).value_or(IncidentState::detected);
    t.cause = q->text(4);
    t.event_id = q->optional_int64(5);
    out.push_back(std::move(t));
  }
  return out;
}

Result<std::vector<StoredEvent>> Store::events(const EventFilter& f) {
  std::string sql =
      "SELECT id, source_id, offset, incident_id, ts, host, computer, channel, record_id, attempt, json FROM events "
      "WHERE 1=1";
  if (f.host) sql += *f.host == k_unattributed ? " AND host IS NULL" : " AND host=?1";
  if (f.since) sql += " AND ts >= ?2";
  if (f.until) sql += " AND ts <= ?3";
  if (f.incident_id) sql += " AND incident_id=?4";
  sql += " ORDER BY ts, computer, channel, record_id, source_id, offset";
  auto q = db_->prepare(sql);
  if (!q) return q.error();
  if (f.host && *f.host != k_unattributed) q->bind(1, std::string_view(*f.host));
  if (f.since) q->bind(2, to_micros(*f.since));
  if (f.until) q->bind(3, to_micros(*f.until));
  if (f.incident_id) q->bind(4, *f.incident_id);
  std::vector<StoredEvent> out;
  while (true) {
    auto row = q->step();
    if (!row) return row.error();
    if (!*row) break;
    StoredEvent e;
    e.id = q->int64(0);
    e.source_id = q->int64(1);
    e.offset = static_cast<std::uint64_t>(q->int64(2));
    e.incident_id = q->optional_int64(3);
    if (auto ts = q->optional_int64(4)) e.timestamp = from_micros(*ts);
    e.host = q->optional_text(5);
    e.computer = q->optional_text(6);
    e.channel = q->optional_text(7);
    e.record_id = q->optional_int64(8);
    e.attempt = q->int64(9) != 0;
    e.json = q->text(10);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace negoheal::store
