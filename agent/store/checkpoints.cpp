#include "agent/store/checkpoints.h"

#include "agent/store/store.h"

namespace negoheal::store {
namespace {

constexpr const char* k_columns =
    "SELECT source_id, path, device, file_index, offset, head_len, head_hash, marker_len, marker_hash, encoding, "
    "skipping FROM checkpoints ";

// SQLite integers are signed; device and inode numbers keep their bit pattern.
std::int64_t as_int64(std::uint64_t v) {
  return static_cast<std::int64_t>(v);
}

}  // namespace

Result<Checkpoints> Checkpoints::open(Database& db) {
  Checkpoints c(db);
  auto save = db.prepare(
      "INSERT INTO checkpoints(source_id, path, device, file_index, offset, head_len, head_hash, marker_len, "
      "marker_hash, encoding, skipping, state, updated_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
      "?13) ON CONFLICT(source_id) DO UPDATE SET path=excluded.path, device=excluded.device, "
      "file_index=excluded.file_index, offset=excluded.offset, head_len=excluded.head_len, "
      "head_hash=excluded.head_hash, marker_len=excluded.marker_len, marker_hash=excluded.marker_hash, "
      "encoding=excluded.encoding, skipping=excluded.skipping, state=excluded.state, updated_at=excluded.updated_at");
  if (!save) return save.error();
  auto by_id = db.prepare(std::string(k_columns) +
                          "WHERE device=?1 AND file_index=?2 AND state='active' ORDER BY source_id DESC");
  if (!by_id) return by_id.error();
  auto all = db.prepare(std::string(k_columns) + "WHERE state='active' ORDER BY source_id");
  if (!all) return all.error();
  c.save_ = std::move(*save);
  c.by_id_ = std::move(*by_id);
  c.all_ = std::move(*all);
  return c;
}

Status Checkpoints::save(const sources::Checkpoint& cp, State state, TimePoint now) {
  save_.bind(1, cp.source_id)
      .bind(2, std::string_view(cp.path))
      .bind(3, as_int64(cp.id.device))
      .bind(4, as_int64(cp.id.index))
      .bind(5, as_int64(cp.offset))
      .bind(6, as_int64(cp.head_len))
      .bind(7, std::string_view(cp.head_hash))
      .bind(8, as_int64(cp.marker_len))
      .bind(9, std::string_view(cp.marker_hash))
      .bind(10, sources::to_string(cp.encoding))
      .bind(11, std::int64_t{cp.skipping ? 1 : 0})
      .bind(12, std::string_view(state == State::active ? "active" : "rotated"))
      .bind(13, to_micros(now));
  return save_.run();
}

Result<std::vector<sources::Checkpoint>> Checkpoints::select(Statement& q) {
  std::vector<sources::Checkpoint> out;
  while (true) {
    auto row = q.step();
    if (!row) {
      q.reset();
      return row.error();
    }
    if (!*row) break;
    sources::Checkpoint cp;
    cp.source_id = q.int64(0);
    cp.path = q.text(1);
    cp.id = {static_cast<std::uint64_t>(q.int64(2)), static_cast<std::uint64_t>(q.int64(3))};
    cp.offset = static_cast<std::uint64_t>(q.int64(4));
    cp.head_len = static_cast<std::uint64_t>(q.int64(5));
    cp.head_hash = q.text(6);
    cp.marker_len = static_cast<std::uint64_t>(q.int64(7));
    cp.marker_hash = q.text(8);
    cp.encoding = sources::parse_encoding(q.text(9));
    cp.skipping = q.int64(10) != 0;
    out.push_back(std::move(cp));
  }
  q.reset();
  return out;
}

Result<std::vector<sources::Checkpoint>> Checkpoints::active_for(const sources::FileId& id) {
  by_id_.bind(1, as_int64(id.device)).bind(2, as_int64(id.index));
  return select(by_id_);
}

Result<std::vector<sources::Checkpoint>> Checkpoints::active() {
  return select(all_);
}

}  // namespace negoheal::store
