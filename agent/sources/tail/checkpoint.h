#pragma once
// Where a tailed file was read up to, and how to recognise that file again. It commits in the
// same transaction as the events read before `offset` (exactly-once across crashes).
#include <cstdint>
#include <string>

#include "agent/sources/tail/shared_file.h"

namespace negoheal::sources {

enum class Encoding { undecided, utf8, utf16le };
std::string_view to_string(Encoding e);
Encoding parse_encoding(std::string_view s);

inline constexpr std::size_t k_head_bytes = 4096;  // fingerprint of the file's first bytes
inline constexpr std::size_t k_marker_bytes = 64;  // fingerprint of the bytes before the offset

struct Checkpoint {
  std::int64_t source_id = 0;
  std::string path;
  FileId id;
  std::uint64_t offset = 0;  // start of the first line not read yet
  std::uint64_t head_len = 0;
  std::string head_hash;
  std::uint64_t marker_len = 0;
  std::string marker_hash;
  Encoding encoding = Encoding::undecided;
  bool skipping = false;  // inside the cut remainder of an over-long line
};

}  // namespace negoheal::sources
