#pragma once
// Substitution values (types 0x00-0x15, 0x20, 0x23 and their 0x80 arrays) rendered as the text
// Windows prints for them. Binary XML values (0x21) are not text: the renderer expands them.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace negoheal::parsers::evtx {

namespace value_type {
inline constexpr std::uint8_t null = 0x00, string = 0x01, ansi_string = 0x02, int8 = 0x03, uint8 = 0x04, int16 = 0x05,
                              uint16 = 0x06, int32 = 0x07, uint32 = 0x08, int64 = 0x09, uint64 = 0x0a, real32 = 0x0b,
                              real64 = 0x0c, boolean = 0x0d, binary = 0x0e, guid = 0x0f, size_type = 0x10,
                              filetime = 0x11, systemtime = 0x12, sid = 0x13, hex_int32 = 0x14, hex_int64 = 0x15,
                              evt_handle = 0x20, binxml = 0x21, evt_xml = 0x23, array_flag = 0x80;
}  // namespace value_type

// One template value: its declared type and its bytes (a view into the chunk).
struct Value {
  std::uint8_t type = value_type::null;
  std::string_view bytes;
};

// Appends the UTF-8 text of a scalar value. A size that does not fit the type is rendered as
// the hex of its bytes: the bytes are shown, never guessed at.
void append_value_text(std::string& out, std::uint8_t type, std::string_view bytes);

// The items of an array value (type has the 0x80 bit), each as text.
std::vector<std::string> array_items(std::uint8_t type, std::string_view bytes);

}  // namespace negoheal::parsers::evtx
