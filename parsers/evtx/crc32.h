#pragma once
// CRC-32 as in RFC 1952 (zlib, gzip): the checksum EVTX file and chunk headers carry.
#include <cstdint>
#include <string_view>

namespace negoheal::parsers::evtx {

// `previous` chains computations over non-contiguous ranges (the chunk header skips 120..128).
std::uint32_t crc32(std::string_view bytes, std::uint32_t previous = 0);

}  // namespace negoheal::parsers::evtx
