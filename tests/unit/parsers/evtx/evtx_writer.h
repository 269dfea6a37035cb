#pragma once
// A test-only EVTX writer: file header, chunks, records and BinXML tokens, so tests build exactly
// the bytes they need (valid files and deliberately damaged ones) without fixture files.
#include <cstdint>
#include <cstring>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "parsers/evtx/crc32.h"

namespace negoheal::testing::evtx {

inline void put_le(std::string& s, std::size_t at, std::uint64_t v, std::size_t n) {
  if (s.size() < at + n) s.resize(at + n, '\0');
  for (std::size_t i = 0; i < n; ++i)
    s[at + i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}
inline void add_le(std::string& s, std::uint64_t v, std::size_t n) {
  put_le(s, s.size(), v, n);
}

inline std::string utf16(std::u16string_view s) {
  std::string out;
  for (const char16_t c : s)
    add_le(out, c, 2);
  return out;
}
inline std::string utf16(std::string_view ascii) {
  std::string out;
  for (const char c : ascii)
    add_le(out, static_cast<unsigned char>(c), 2);
  return out;
}

// Writes BinXML into a chunk buffer; offsets are chunk-relative as in the real format.
class ChunkWriter {
 public:
  ChunkWriter() : c_(512, '\0') {}

  std::string& bytes() { return c_; }
  [[nodiscard]] std::size_t pos() const { return c_.size(); }

  void byte(std::uint8_t b) { c_ += static_cast<char>(b); }
  void u16(std::uint16_t v) { add_le(c_, v, 2); }
  void u32(std::uint32_t v) { add_le(c_, v, 4); }
  void u64(std::uint64_t v) { add_le(c_, v, 8); }
  void raw(std::string_view b) { c_ += b; }

  void fragment_header() { raw(std::string_view("\x0f\x01\x01\x00", 4)); }
  void eof() { byte(0x00); }

  // A name reference: inline the first time, a back reference after (as Windows writes them).
  void name(std::string_view n) {
    if (const auto it = names_.find(std::string(n)); it != names_.end()) return u32(it->second);
    const auto at = static_cast<std::uint32_t>(pos() + 4);
    names_[std::string(n)] = at;
    u32(at);
    u32(0);  // next string offset
    u16(0);  // hash (not checked by readers)
    u16(static_cast<std::uint16_t>(n.size()));
    raw(utf16(n));
    u16(0);
  }

  void open(std::string_view n, bool attrs, bool dependency_id = true) {
    byte(attrs ? 0x41 : 0x01);
    if (dependency_id) u16(0xFFFF);
    u32(0);  // data size: readers walk tokens instead
    name(n);
    if (attrs) u32(0);  // attribute list size
  }
  void attribute(std::string_view n) {
    byte(0x06);
    name(n);
  }
  void close_start() { byte(0x02); }
  void close_empty() { byte(0x03); }
  void end() { byte(0x04); }
  void text(std::string_view s) {
    byte(0x05);
    byte(0x01);
    u16(static_cast<std::uint16_t>(s.size()));
    raw(utf16(s));
  }
  void subst(std::uint16_t id, std::uint8_t type, bool optional = false) {
    byte(optional ? 0x0e : 0x0d);
    u16(id);
    byte(type);
  }
  void char_ref(std::uint16_t cp) {
    byte(0x08);
    u16(cp);
  }
  void entity_ref(std::string_view n) {
    byte(0x09);
    name(n);
  }
  void cdata(std::string_view s) {
    byte(0x07);
    u16(static_cast<std::uint16_t>(s.size()));
    raw(utf16(s));
  }

  // A template instance; `body` writes the definition (fragment header, element, EOF) when it is
  // inline, else `def_offset` refers back to an earlier one. Returns the definition offset.
  std::uint32_t instance(const std::function<void()>& body, std::uint32_t def_offset = 0) {
    byte(0x0c);
    byte(0x01);
    u32(0x12345678);
    if (def_offset != 0) {
      u32(def_offset);
      return def_offset;
    }
    const auto at = static_cast<std::uint32_t>(pos() + 4);
    u32(at);
    u32(0);                        // next template
    raw(std::string(16, '\x11'));  // GUID
    const auto size_at = pos();
    u32(0);
    body();
    put_le(c_, size_at, pos() - size_at - 4, 4);
    return at;
  }

  struct Val {
    std::uint8_t type;
    std::string bytes;
  };
  void values(const std::vector<Val>& vs) {
    u32(static_cast<std::uint32_t>(vs.size()));
    for (const auto& v : vs) {
      u16(static_cast<std::uint16_t>(v.bytes.size()));
      byte(v.type);
      byte(0);
    }
    for (const auto& v : vs)
      raw(v.bytes);
  }

  // A record around what `binxml` writes. Returns the record's chunk offset.
  std::size_t record(std::uint64_t id, std::uint64_t filetime, const std::function<void()>& binxml) {
    const auto at = pos();
    raw(std::string_view("**\0\0", 4));
    u32(0);
    u64(id);
    u64(filetime);
    binxml();
    const auto size = pos() - at + 4;
    put_le(c_, at + 4, size, 4);
    u32(static_cast<std::uint32_t>(size));
    if (first_id_ == 0) first_id_ = id;
    last_id_ = id;
    last_offset_ = at;
    return at;
  }

  // Fills the header (ids, offsets, checksums) and pads to 64 KiB.
  std::string finish() {
    std::string c = c_;
    const auto free_space = c.size();
    c.resize(65536, '\0');
    std::memcpy(c.data(), "ElfChnk\0", 8);
    put_le(c, 8, first_id_, 8);
    put_le(c, 16, last_id_, 8);
    put_le(c, 24, first_id_, 8);
    put_le(c, 32, last_id_, 8);
    put_le(c, 40, 128, 4);
    put_le(c, 44, last_offset_, 4);
    put_le(c, 48, free_space, 4);
    put_le(c, 52, parsers::evtx::crc32(std::string_view(c).substr(512, free_space - 512)), 4);
    const auto view = std::string_view(c);
    put_le(c, 124, parsers::evtx::crc32(view.substr(128, 384), parsers::evtx::crc32(view.substr(0, 120))), 4);
    return c;
  }

 private:
  std::string c_;
  std::map<std::string, std::uint32_t> names_;
  std::uint64_t first_id_ = 0, last_id_ = 0;
  std::size_t last_offset_ = 0;
};

inline std::string file_header(std::uint16_t chunk_count, std::uint32_t flags = 0, std::uint16_t minor = 1) {
  std::string h(4096, '\0');
  std::memcpy(h.data(), "ElfFile\0", 8);
  put_le(h, 8, 0, 8);
  put_le(h, 16, chunk_count == 0 ? 0 : chunk_count - 1U, 8);
  put_le(h, 24, 1000, 8);
  put_le(h, 32, 128, 4);
  put_le(h, 36, minor, 2);
  put_le(h, 38, 3, 2);
  put_le(h, 40, 4096, 2);
  put_le(h, 42, chunk_count, 2);
  put_le(h, 120, flags, 4);
  put_le(h, 124, parsers::evtx::crc32(std::string_view(h).substr(0, 120)), 4);
  return h;
}

}  // namespace negoheal::testing::evtx
