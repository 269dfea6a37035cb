#pragma once
// Text helpers for EVTX: UTF-16LE decoding (bad code units become U+FFFD, never an error),
// XML escaping as the Windows renderer does it, and FILETIME/SYSTEMTIME formatting.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace negoheal::parsers::evtx {

inline constexpr char32_t k_replacement_char = 0xFFFD;

void append_utf8(std::string& out, char32_t cp);

// Decodes `bytes` (an even count is expected; a trailing odd byte becomes U+FFFD) and appends
// UTF-8. Unpaired surrogates become U+FFFD. Decoding stops at the first NUL when `stop_at_nul`.
void append_utf16le(std::string& out, std::string_view bytes, bool stop_at_nul = false);

// Element text: & < > escaped ('"' and '\'' are not, as Event Viewer does). Attribute values:
// all five. Characters XML 1.0 forbids (C0 controls other than tab/CR/LF) become U+FFFD.
void append_xml_text(std::string& out, std::string_view utf8);
void append_xml_attribute(std::string& out, std::string_view utf8);

// Element and attribute names from a file are not trusted to be XML names: characters that
// would break the markup become '_'.
void append_xml_name(std::string& out, std::string_view utf8);

// "2020-11-13T11:09:07.084053800Z": the 100 ns ticks, padded to nanoseconds, as Windows prints.
std::string format_filetime(std::uint64_t ticks_since_1601);

// 16-byte SYSTEMTIME; nullopt when a field is out of range.
std::optional<std::string> format_systemtime(std::string_view bytes16);

// Microseconds since 1970-01-01 for a FILETIME.
std::int64_t filetime_to_unix_us(std::uint64_t ticks_since_1601);

}  // namespace negoheal::parsers::evtx
