#include "parsers/evtx/values.h"

#include <array>
#include <bit>
#include <charconv>
#include <cstdio>

#include "parsers/evtx/bytes.h"
#include "parsers/evtx/text.h"

namespace negoheal::parsers::evtx {
namespace {

void append_hex_bytes(std::string& out, std::string_view b) {
  static constexpr char k_digits[] = "0123456789ABCDEF";
  for (const char c : b) {
    const auto u = static_cast<unsigned char>(c);
    out += k_digits[u >> 4];
    out += k_digits[u & 0x0F];
  }
}

template <class T>
void append_number(std::string& out, T v) {
  std::array<char, 64> buf{};
  const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  out.append(buf.data(), r.ptr);
}

void append_hex_number(std::string& out, std::uint64_t v) {
  std::array<char, 24> buf{};
  const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), v, 16);
  out += "0x";
  out.append(buf.data(), r.ptr);
}

std::string_view trim_nuls(std::string_view b, std::size_t unit) {
  while (b.size() >= unit && b.substr(b.size() - unit).find_first_not_of('\0') == std::string_view::npos) {
    b.remove_suffix(unit);
  }
  return b;
}

void append_guid(std::string& out, std::string_view b) {
  std::array<char, 48> buf{};
  const auto u8 = [&](std::size_t i) { return static_cast<unsigned>(static_cast<unsigned char>(b[i])); };
  const int n = std::snprintf(buf.data(), buf.size(), "{%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}",
                              static_cast<unsigned>(load_le<std::uint32_t>(b, 0)),
                              static_cast<unsigned>(load_le<std::uint16_t>(b, 4)),
                              static_cast<unsigned>(load_le<std::uint16_t>(b, 6)), u8(8), u8(9), u8(10), u8(11), u8(12),
                              u8(13), u8(14), u8(15));
  out.append(buf.data(), n > 0 ? static_cast<std::size_t>(n) : 0U);
}

// Bytes a SID occupies at the start of `b`, or 0 when `b` does not start with one.
std::size_t sid_size(std::string_view b) {
  if (b.size() < 8) return 0;
  const std::size_t need = 8 + 4 * static_cast<std::size_t>(static_cast<unsigned char>(b[1]));
  return b.size() >= need ? need : 0;
}

void append_sid(std::string& out, std::string_view b) {
  const std::size_t n = sid_size(b);
  if (n == 0) return append_hex_bytes(out, b);
  std::uint64_t authority = 0;
  for (std::size_t i = 2; i < 8; ++i)
    authority = (authority << 8) | static_cast<unsigned char>(b[i]);
  out += "S-";
  append_number(out, static_cast<unsigned>(static_cast<unsigned char>(b[0])));
  out += '-';
  if (authority >> 32 != 0) {
    append_hex_number(out, authority);
  } else {
    append_number(out, authority);
  }
  for (std::size_t off = 8; off + 4 <= n; off += 4) {
    out += '-';
    append_number(out, load_le<std::uint32_t>(b, off));
  }
}

void append_latin1(std::string& out, std::string_view b) {
  for (const char c : b)
    append_utf8(out, static_cast<unsigned char>(c));
}

// Fixed item size of a scalar type; 0 for variable-size types.
std::size_t fixed_size(std::uint8_t type) {
  namespace vt = value_type;
  switch (type) {
    case vt::int8:
    case vt::uint8:
      return 1;
    case vt::int16:
    case vt::uint16:
      return 2;
    case vt::int32:
    case vt::uint32:
    case vt::real32:
    case vt::boolean:
    case vt::hex_int32:
      return 4;
    case vt::int64:
    case vt::uint64:
    case vt::real64:
    case vt::filetime:
    case vt::hex_int64:
      return 8;
    case vt::guid:
    case vt::systemtime:
      return 16;
    default:
      return 0;
  }
}

}  // namespace

void append_value_text(std::string& out, std::uint8_t type, std::string_view b) {
  namespace vt = value_type;
  const std::size_t want = fixed_size(type);
  // Booleans have been seen with sizes other than 4 ("irregular bool values"): any width will do.
  if (want != 0 && b.size() != want && type != vt::boolean) return append_hex_bytes(out, b);
  switch (type) {
    case vt::null:
      return;
    case vt::string:
      return append_utf16le(out, trim_nuls(b, 2));
    case vt::ansi_string:
      return append_latin1(out, trim_nuls(b, 1));
    case vt::int8:
      return append_number(out, static_cast<int>(static_cast<std::int8_t>(b[0])));
    case vt::uint8:
      return append_number(out, static_cast<unsigned>(static_cast<unsigned char>(b[0])));
    case vt::int16:
      return append_number(out, static_cast<std::int16_t>(load_le<std::uint16_t>(b, 0)));
    case vt::uint16:
      return append_number(out, load_le<std::uint16_t>(b, 0));
    case vt::int32:
      return append_number(out, static_cast<std::int32_t>(load_le<std::uint32_t>(b, 0)));
    case vt::uint32:
      return append_number(out, load_le<std::uint32_t>(b, 0));
    case vt::int64:
      return append_number(out, static_cast<std::int64_t>(load_le<std::uint64_t>(b, 0)));
    case vt::uint64:
      return append_number(out, load_le<std::uint64_t>(b, 0));
    case vt::real32:
      return append_number(out, std::bit_cast<float>(load_le<std::uint32_t>(b, 0)));
    case vt::real64:
      return append_number(out, std::bit_cast<double>(load_le<std::uint64_t>(b, 0)));
    case vt::boolean:
      out += b.find_first_not_of('\0') != std::string_view::npos ? "true" : "false";
      return;
    case vt::guid:
      return append_guid(out, b);
    case vt::size_type:
    case vt::hex_int32:
    case vt::hex_int64:
      if (b.size() == 4) return append_hex_number(out, load_le<std::uint32_t>(b, 0));
      if (b.size() == 8) return append_hex_number(out, load_le<std::uint64_t>(b, 0));
      return append_hex_bytes(out, b);
    case vt::filetime:
      out += format_filetime(load_le<std::uint64_t>(b, 0));
      return;
    case vt::systemtime: {
      const auto s = format_systemtime(b);
      if (!s) return append_hex_bytes(out, b);
      out += *s;
      return;
    }
    case vt::sid:
      return append_sid(out, b);
    default:
      return append_hex_bytes(out, b);  // binary, handles, EvtXml, unknown types
  }
}

std::vector<std::string> array_items(std::uint8_t type, std::string_view b) {
  namespace vt = value_type;
  const auto base = static_cast<std::uint8_t>(type & ~vt::array_flag);
  std::vector<std::string> items;
  if (base == vt::string || base == vt::ansi_string) {
    const std::size_t unit = base == vt::string ? 2 : 1;
    std::size_t start = 0;
    for (std::size_t i = 0; i + unit <= b.size(); i += unit) {
      if (b.substr(i, unit).find_first_not_of('\0') != std::string_view::npos) continue;
      items.emplace_back();
      append_value_text(items.back(), base, b.substr(start, i - start));
      start = i + unit;
    }
    if (start < b.size()) {
      items.emplace_back();
      append_value_text(items.back(), base, b.substr(start));
    }
    return items;
  }
  if (base == vt::sid) {
    while (!b.empty()) {
      const std::size_t n = sid_size(b);
      items.emplace_back();
      append_value_text(items.back(), base, n == 0 ? b : b.substr(0, n));
      if (n == 0) break;
      b.remove_prefix(n);
    }
    return items;
  }
  std::size_t size = fixed_size(base);
  if (base == vt::size_type) size = b.size() % 8 == 0 ? 8 : 4;
  if (size == 0) {  // arrays of binary are not defined: show the bytes as one item
    items.emplace_back();
    append_value_text(items.back(), vt::binary, b);
    return items;
  }
  for (std::size_t off = 0; off < b.size(); off += size) {
    items.emplace_back();
    append_value_text(items.back(), base, b.substr(off, size));
  }
  return items;
}

}  // namespace negoheal::parsers::evtx
