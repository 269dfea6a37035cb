#pragma once
// One log file being followed: reads what was appended since its checkpoint and hands out only
// complete lines. A partial last line waits for its newline (the checkpoint stays at its start, so
// a restart reads it whole); a line longer than the cap is cut and its remainder skipped.
//
// Every read re-reads the few bytes just before the checkpoint and compares their fingerprint
// (the marker): a file truncated (copytruncate) or replaced under the same inode is noticed even
// when it already grew past the old offset again.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/sources/tail/checkpoint.h"
#include "agent/sources/tail/shared_file.h"
#include "agent/sources/text_lines.h"
#include "core/result.h"

namespace negoheal::sources {

struct TailOptions {
  std::size_t max_line = 64u << 10;
  std::size_t read_chunk = 4u << 20;  // bytes per read (and per transaction); at least 2 * max_line
};

class TailedFile {
 public:
  // `cp` is a saved checkpoint or a fresh one ({source_id, path, id} only) for a new file.
  TailedFile(SharedFile file, Checkpoint cp, TailOptions options);

  enum class Verdict {
    ok,         // lines (maybe none) were handed out
    truncated,  // the file is shorter than the checkpoint: copytruncate
    replaced,   // the bytes before the checkpoint changed: another file under the same identity
  };
  struct ReadResult {
    Verdict verdict = Verdict::ok;
    std::uint64_t bytes = 0;      // consumed by this read
    std::uint64_t lines_cut = 0;  // over-long lines cut
    bool more = false;            // unread complete data remains (the read stopped at read_chunk)
  };

  // Reads up to read_chunk bytes after the checkpoint. The in-memory checkpoint advances; the
  // caller stores checkpoint() with the events the sink produced, or calls rewind() if it could not.
  // `final`: the file was rotated away and is drained for the last time, so a last line without
  // its newline is handed out too.
  Result<ReadResult> read(const ChunkSink& sink, bool final = false);

  // Hands out the complete lines among the last `n` bytes before the checkpoint, to rebuild a
  // parser's per-thread context after a restart. The caller throws their events away.
  Status replay_before(std::size_t n, const ChunkSink& sink);

  // The file's first `n` bytes (fewer if it is shorter), for format detection.
  [[nodiscard]] Result<std::string> head(std::size_t n) const;

  void rewind(const Checkpoint& to) { cp_ = to; }
  [[nodiscard]] const Checkpoint& checkpoint() const { return cp_; }
  [[nodiscard]] Result<FileStat> stat() const { return file_.stat(); }
  void set_path(std::string path) { cp_.path = std::move(path); }

 private:
  Result<bool> decide_encoding(std::uint64_t size, bool final);
  // Hands out the lines of `data` (file offset `base`); returns the bytes consumed.
  std::uint64_t hand_out_utf8(std::string_view data, std::uint64_t base, bool final, const ChunkSink& sink,
                              ReadResult& r);
  std::uint64_t hand_out_utf16(std::string_view data, std::uint64_t base, bool final, const ChunkSink& sink,
                               ReadResult& r);
  Status refresh_head();

  SharedFile file_;
  Checkpoint cp_;
  TailOptions options_;
  std::vector<char> buf_;
  std::string line_;  // UTF-16 transcoding scratch
};

// Verifies a saved checkpoint against a file's current content (at resume): the first head_len
// bytes and the marker before the offset must still hash the same.
Result<bool> matches_checkpoint(const SharedFile& file, const Checkpoint& cp);

}  // namespace negoheal::sources
