#pragma once
// Finding records by their framing alone: "**\0\0", a size that fits, and the trailing size copy.
// Used to walk a chunk, to resynchronise after a bad record and to carve damaged chunks.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "parsers/evtx/bytes.h"

namespace negoheal::parsers::evtx {

inline constexpr std::string_view k_record_signature("**\0\0", 4);
inline constexpr std::size_t k_record_header_size = 24;
inline constexpr std::size_t k_min_record_size = k_record_header_size + 1 + 4;

// The size of a well-framed record at `off`, or nullopt.
inline std::optional<std::uint32_t> record_size_at(std::string_view chunk, std::size_t off) {
  if (off > chunk.size() || chunk.substr(off, 4) != k_record_signature) return std::nullopt;
  const auto size = read_le<std::uint32_t>(chunk, off + 4);
  if (!size || *size < k_min_record_size || *size > chunk.size() - off) return std::nullopt;
  const auto copy = read_le<std::uint32_t>(chunk, off + *size - 4);
  if (!copy || *copy != *size) return std::nullopt;
  return size;
}

// The first well-framed record in [from, end), or npos.
inline std::size_t find_next_record(std::string_view chunk, std::size_t from, std::size_t end) {
  while (from < end) {
    const auto pos = chunk.find(k_record_signature, from);
    if (pos == std::string_view::npos || pos >= end) return std::string_view::npos;
    if (record_size_at(chunk, pos)) return pos;
    from = pos + 1;
  }
  return std::string_view::npos;
}

}  // namespace negoheal::parsers::evtx
