#pragma once
// Bounds-checked little-endian reads over untrusted bytes. Every read names the offset it wants
// and fails (nullopt) instead of reading past the end: no length or offset in a file is trusted.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace negoheal::parsers::evtx {

template <class T>
[[nodiscard]] constexpr std::optional<T> read_le(std::string_view bytes, std::size_t offset) {
  if (offset > bytes.size() || bytes.size() - offset < sizeof(T)) return std::nullopt;
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i) {
    v |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[offset + i])) << (8 * i);
  }
  return static_cast<T>(v);
}

// Unchecked variant for callers that verified the range already.
template <class T>
[[nodiscard]] constexpr T load_le(std::string_view bytes, std::size_t offset) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i) {
    v |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[offset + i])) << (8 * i);
  }
  return static_cast<T>(v);
}

// bytes[offset, offset + size) or nullopt when it does not fit.
[[nodiscard]] constexpr std::optional<std::string_view> slice(std::string_view bytes, std::size_t offset,
                                                              std::size_t size) {
  if (offset > bytes.size() || bytes.size() - offset < size) return std::nullopt;
  return bytes.substr(offset, size);
}

}  // namespace negoheal::parsers::evtx
