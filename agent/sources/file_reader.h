#pragma once
// Reads a whole input file in bounded chunks and hands out complete lines: the memory used does
// not depend on the file's size. Decodes UTF-16LE (with BOM) to UTF-8, keeping the original byte
// offset of each line. A line longer than the cap is cut and counted, never drops the file.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "agent/sources/text_lines.h"
#include "core/clock.h"
#include "core/result.h"

namespace negoheal::sources {

struct FileInfo {
  std::string identity;  // content fingerprint: stable across renames, copies and replays
  std::uint64_t size = 0;
  TimePoint modified{};
  std::string head;  // first bytes, for format detection
};

struct ReadStats {
  std::uint64_t bytes = 0;
  std::uint64_t long_lines_cut = 0;
};

struct ReadOptions {
  std::size_t chunk_size = 4u << 20;
  std::size_t max_line = 64u << 10;  // longer lines are cut to this
};

Result<FileInfo> inspect_file(const std::filesystem::path& path);
Result<ReadStats> read_lines(const std::filesystem::path& path, const ReadOptions& options, const ChunkSink& sink);

// The whole file (for formats that need random access, EVTX).
Result<std::string> read_whole(const std::filesystem::path& path);

// Identity of an input: FNV-1a 64 of its first 4 KiB (or all of a smaller file), as hex.
std::string content_fingerprint(std::string_view head);

}  // namespace negoheal::sources
