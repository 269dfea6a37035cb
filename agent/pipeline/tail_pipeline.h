#pragma once
// The live half of the pipeline: followed files -> parser -> Recorder, one transaction per read
// chunk holding the events *and* the file's checkpoint. Nothing sits between reading and
// committing, so there is no queue to overflow here: an unread file is its own buffer, and a
// crash at any instant resumes at the last committed line (exactly once).
//
// Files are tracked by FileId, not by name: a rotation by rename keeps its reader (drained, then
// let go after `rotate_wait`), the new file under the old name is a new generation read from its
// first byte, a copytruncate or a file replaced under the same inode is a new generation too.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agent/pipeline/recorder.h"
#include "agent/sources/tail/glob.h"
#include "agent/sources/tail/tailed_file.h"
#include "agent/store/checkpoints.h"
#include "parsers/log_parser.h"

namespace spdlog {
class logger;
}

namespace negoheal::pipeline {

struct TailSource {
  std::vector<sources::Glob> globs;
  parsers::InputFormat format = parsers::InputFormat::automatic;
  std::shared_ptr<const parsers::LinePatterns> patterns;
  std::optional<std::chrono::seconds> local_offset;  // default: the machine's zone
  sources::TailOptions tail;
  Duration rotate_wait = std::chrono::seconds(5);
};

struct TailStats {
  std::uint64_t bytes = 0;
  std::uint64_t lines = 0;
  std::uint64_t lines_cut = 0;
  std::uint64_t commits = 0;
  std::uint64_t commit_failures = 0;
  std::uint64_t read_errors = 0;
  std::uint64_t files_opened = 0;
  std::uint64_t files_released = 0;  // rotated away or deleted, drained and let go
  std::uint64_t resumed = 0;         // files continued from a saved checkpoint
  std::uint64_t truncations = 0;     // copytruncate and friends: re-read from byte 0
  std::uint64_t replacements = 0;    // same identity, different content
  bool failing = false;              // the latest commit failed (health)
  std::string last_error;
};

struct FileLag {
  std::string path;
  std::uint64_t offset = 0;
  std::uint64_t size = 0;
};

class TailPipeline {
 public:
  // Called after a commit, once per change (opened/reopened incidents reach diagnosis this way).
  using OnChange = std::function<void(const correlate::Change&)>;
  // Called after a failed commit: the caller rebuilds the correlator from the store.
  using OnRollback = std::function<void()>;

  TailPipeline(store::Store& store, Recorder& recorder, const Clock& clock, spdlog::logger& log,
               std::vector<TailSource> sources);
  ~TailPipeline();
  TailPipeline(const TailPipeline&) = delete;
  TailPipeline& operator=(const TailPipeline&) = delete;

  void on_change(OnChange f) { on_change_ = std::move(f); }
  void on_rollback(OnRollback f) { on_rollback_ = std::move(f); }

  // Loads the checkpoints. Files rotated away while the agent was down are drained if they can
  // still be found under their last name.
  Status start();
  // Looks for new, renamed, rotated and vanished files: at start, on watcher wake-ups, each poll.
  void scan();
  // Reads one chunk of every file that has new data. True: some file has more to read now.
  bool pump();
  // Stops reading: drops every reader (their checkpoints are committed already).
  void stop();

  [[nodiscard]] std::vector<std::filesystem::path> folders() const;
  [[nodiscard]] const TailStats& stats() const { return stats_; }
  [[nodiscard]] std::vector<FileLag> lag() const;
  [[nodiscard]] std::size_t files() const { return files_.size(); }

 private:
  struct Tracked;
  void adopt(const std::filesystem::path& path, const sources::FileStat& st, std::size_t source_index,
             std::optional<TimePoint> gone_since);
  Result<std::unique_ptr<Tracked>> resume(sources::SharedFile& file, const sources::FileStat& st,
                                          const std::filesystem::path& path, std::size_t source_index);
  Status new_generation(Tracked& t, const std::filesystem::path& path, const sources::FileId& id);
  Status ensure_parser(Tracked& t);
  void warm(Tracked& t);
  // One chunk, one transaction. Returns whether more is ready; false also on error.
  bool read_once(Tracked& t, bool final, bool& drained);
  parsers::TimeAnchor anchor(const Tracked& t) const;

  store::Store& store_;
  std::optional<store::Checkpoints> checkpoints_;  // set by start()
  Recorder& recorder_;
  const Clock& clock_;
  spdlog::logger& log_;
  std::vector<TailSource> sources_;
  std::map<std::pair<std::uint64_t, std::uint64_t>, std::unique_ptr<Tracked>> files_;
  OnChange on_change_;
  OnRollback on_rollback_;
  TailStats stats_;
  bool started_ = false;
};

}  // namespace negoheal::pipeline
