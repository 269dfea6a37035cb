#include "parsers/evtx/text.h"

#include <array>
#include <cstdio>

#include "parsers/evtx/bytes.h"

namespace negoheal::parsers::evtx {
namespace {

constexpr std::uint64_t k_ticks_per_second = 10'000'000;
constexpr std::int64_t k_seconds_1601_to_1970 = 11'644'473'600;

bool forbidden_in_xml(unsigned char c) {
  return c < 0x20 && c != '\t' && c != '\n' && c != '\r';
}

// Howard Hinnant's civil_from_days: proleptic Gregorian date of a day count since 1970-01-01.
void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
}

template <class Escape>
void append_escaped(std::string& out, std::string_view s, Escape escape) {
  std::size_t start = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    const char* rep = escape(c);
    if (rep == nullptr && !forbidden_in_xml(c)) continue;
    out.append(s, start, i - start);
    if (rep != nullptr) {
      out += rep;
    } else {
      append_utf8(out, k_replacement_char);
    }
    start = i + 1;
  }
  out.append(s, start, s.size() - start);
}

}  // namespace

void append_utf8(std::string& out, char32_t cp) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = k_replacement_char;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

void append_utf16le(std::string& out, std::string_view bytes, bool stop_at_nul) {
  const std::size_t units = bytes.size() / 2;
  for (std::size_t i = 0; i < units; ++i) {
    const char16_t u = load_le<char16_t>(bytes, 2 * i);
    if (u == 0 && stop_at_nul) return;
    if (u < 0x80) {
      out += static_cast<char>(u);  // fast path: ASCII is nearly all of an event log
    } else if (u >= 0xD800 && u <= 0xDBFF && i + 1 < units) {
      const char16_t lo = load_le<char16_t>(bytes, 2 * (i + 1));
      if (lo >= 0xDC00 && lo <= 0xDFFF) {
        append_utf8(out, 0x10000 + ((static_cast<char32_t>(u) - 0xD800) << 10) + (lo - 0xDC00U));
        ++i;
      } else {
        append_utf8(out, k_replacement_char);
      }
    } else {
      append_utf8(out, u);  // lone surrogates map to U+FFFD inside append_utf8
    }
  }
  if (bytes.size() % 2 != 0) append_utf8(out, k_replacement_char);
}

namespace {

const char* xml_text_entity(unsigned char c) {
  switch (c) {
    case '&':
      return "&amp;";
    case '<':
      return "&lt;";
    case '>':
      return "&gt;";
    default:
      return nullptr;
  }
}

}  // namespace

void append_xml_text(std::string& out, std::string_view utf8) {
  append_escaped(out, utf8, xml_text_entity);
}

// Attributes also escape both quote characters, whichever the writer chose.
void append_xml_attribute(std::string& out, std::string_view utf8) {
  append_escaped(out, utf8, [](unsigned char c) -> const char* {
    if (c == '"') return "&quot;";
    if (c == '\'') return "&apos;";
    return xml_text_entity(c);
  });
}

void append_xml_name(std::string& out, std::string_view utf8) {
  if (utf8.empty()) out += '_';
  for (const char c : utf8) {
    const auto u = static_cast<unsigned char>(c);
    const bool ok = u >= 0x80 || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') ||
                    u == '_' || u == '-' || u == '.' || u == ':';
    out += ok ? c : '_';
  }
}

std::int64_t filetime_to_unix_us(std::uint64_t ticks) {
  return static_cast<std::int64_t>(ticks / 10) - k_seconds_1601_to_1970 * 1'000'000;
}

std::string format_filetime(std::uint64_t ticks) {
  const auto secs = static_cast<std::int64_t>(ticks / k_ticks_per_second) - k_seconds_1601_to_1970;
  const auto frac = static_cast<unsigned long long>(ticks % k_ticks_per_second);
  std::int64_t days = secs / 86400;
  std::int64_t rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  std::int64_t y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(days, y, m, d);
  std::array<char, 64> buf{};
  const int n = std::snprintf(buf.data(), buf.size(), "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%07lld00Z",
                              static_cast<long long>(y), m, d, static_cast<long long>(rem / 3600),
                              static_cast<long long>(rem / 60 % 60), static_cast<long long>(rem % 60),
                              static_cast<long long>(frac));
  return std::string(buf.data(), n > 0 ? static_cast<std::size_t>(n) : 0U);
}

std::optional<std::string> format_systemtime(std::string_view b) {
  if (b.size() < 16) return std::nullopt;
  const unsigned year = load_le<std::uint16_t>(b, 0), month = load_le<std::uint16_t>(b, 2),
                 day = load_le<std::uint16_t>(b, 6), hour = load_le<std::uint16_t>(b, 8),
                 minute = load_le<std::uint16_t>(b, 10), second = load_le<std::uint16_t>(b, 12),
                 ms = load_le<std::uint16_t>(b, 14);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60 || ms > 999) {
    return std::nullopt;
  }
  std::array<char, 64> buf{};
  const int n = std::snprintf(buf.data(), buf.size(), "%04u-%02u-%02uT%02u:%02u:%02u.%03u000000Z", year, month, day,
                              hour, minute, second, ms);
  return std::string(buf.data(), n > 0 ? static_cast<std::size_t>(n) : 0U);
}

}  // namespace negoheal::parsers::evtx
