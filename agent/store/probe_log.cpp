#include "agent/store/probe_log.h"

#include "agent/store/store.h"

namespace negoheal::store {
namespace {

constexpr std::string_view k_columns =
    "SELECT id, incident_id, target, port, at, elapsed_ms, posture, explains, note, result_json, cause, reused_from "
    "FROM probes ";

ProbeRecord read_record(const Statement& q) {
  ProbeRecord r;
  r.id = q.int64(0);
  r.incident_id = q.optional_int64(1);
  r.target = q.text(2);
  r.port = static_cast<std::uint16_t>(q.int64(3));
  r.at = from_micros(q.int64(4));
  r.elapsed_ms = q.int64(5);
  r.posture = q.text(6);
  r.explains = q.int64(7) != 0;
  r.note = q.text(8);
  r.result_json = q.text(9);
  r.cause = q.text(10);
  r.reused_from = q.optional_int64(11);
  return r;
}

Result<std::vector<ProbeRecord>> collect(Statement& q) {
  std::vector<ProbeRecord> out;
  while (true) {
    auto row = q.step();
    if (!row) return row.error();
    if (!*row) break;
    out.push_back(read_record(q));
  }
  return out;
}

Result<std::optional<ProbeRecord>> first(Statement& q) {
  auto rows = collect(q);
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<ProbeRecord>();
  return std::optional<ProbeRecord>(std::move(rows->front()));
}

}  // namespace

Result<std::int64_t> ProbeLog::insert(const ProbeRecord& r) {
  auto q = db_.prepare(
      "INSERT INTO probes(incident_id, target, port, at, elapsed_ms, posture, explains, note, result_json, cause, "
      "reused_from) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
  if (!q) return q.error();
  q->bind(1, r.incident_id)
      .bind(2, std::string_view(r.target))
      .bind(3, std::int64_t{r.port})
      .bind(4, to_micros(r.at))
      .bind(5, r.elapsed_ms)
      .bind(6, std::string_view(r.posture))
      .bind(7, std::int64_t{r.explains ? 1 : 0})
      .bind(8, std::string_view(r.note))
      .bind(9, std::string_view(r.result_json))
      .bind(10, std::string_view(r.cause))
      .bind(11, r.reused_from);
  if (auto st = q->run(); !st) return st.error();
  return db_.last_insert_id();
}

Result<std::optional<ProbeRecord>> ProbeLog::get(std::int64_t id) {
  auto q = db_.prepare(std::string(k_columns) + "WHERE id=?1");
  if (!q) return q.error();
  q->bind(1, id);
  return first(*q);
}

Result<std::optional<ProbeRecord>> ProbeLog::latest(std::string_view target, std::uint16_t port) {
  auto q = db_.prepare(std::string(k_columns) +
                       "WHERE target=?1 AND port=?2 AND reused_from IS NULL ORDER BY at DESC, id DESC LIMIT 1");
  if (!q) return q.error();
  q->bind(1, target).bind(2, std::int64_t{port});
  return first(*q);
}

Result<std::vector<ProbeRecord>> ProbeLog::for_incident(std::int64_t incident_id) {
  auto q = db_.prepare(std::string(k_columns) + "WHERE incident_id=?1 ORDER BY id");
  if (!q) return q.error();
  q->bind(1, incident_id);
  return collect(*q);
}

Result<std::vector<TimePoint>> ProbeLog::started_since(TimePoint since) {
  auto q = db_.prepare("SELECT at FROM probes WHERE reused_from IS NULL AND at >= ?1 ORDER BY at");
  if (!q) return q.error();
  q->bind(1, to_micros(since));
  std::vector<TimePoint> out;
  while (true) {
    auto row = q->step();
    if (!row) return row.error();
    if (!*row) break;
    out.push_back(from_micros(q->int64(0)));
  }
  return out;
}

}  // namespace negoheal::store
