#pragma once
// The checkpoints table (migration 2): one row per tailed file generation. Saved in the same
// transaction as the events read up to the checkpoint.
#include <optional>
#include <vector>

#include "agent/sources/tail/checkpoint.h"
#include "agent/store/sqlite.h"
#include "core/clock.h"

namespace negoheal::store {

class Checkpoints {
 public:
  static Result<Checkpoints> open(Database& db);

  enum class State { active, rotated };
  Status save(const sources::Checkpoint& cp, State state, TimePoint now);
  // Active checkpoints of files with this identity, newest first (a recreated file may reuse an inode).
  Result<std::vector<sources::Checkpoint>> active_for(const sources::FileId& id);
  Result<std::vector<sources::Checkpoint>> active();

 private:
  explicit Checkpoints(Database& db) : db_(&db) {}
  Result<std::vector<sources::Checkpoint>> select(Statement& q);
  Database* db_;
  Statement save_, by_id_, all_;
};

}  // namespace negoheal::store
