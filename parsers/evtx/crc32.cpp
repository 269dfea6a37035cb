#include "parsers/evtx/crc32.h"

#include <array>

namespace negoheal::parsers::evtx {
namespace {

constexpr std::array<std::uint32_t, 256> make_table() {
  std::array<std::uint32_t, 256> t{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k)
      c = (c & 1U) != 0 ? 0xEDB88320U ^ (c >> 1) : c >> 1;
    t[i] = c;
  }
  return t;
}

constexpr auto k_table = make_table();

}  // namespace

std::uint32_t crc32(std::string_view bytes, std::uint32_t previous) {
  std::uint32_t c = ~previous;
  for (const char ch : bytes)
    c = k_table[(c ^ static_cast<unsigned char>(ch)) & 0xFFU] ^ (c >> 8);
  return ~c;
}

}  // namespace negoheal::parsers::evtx
