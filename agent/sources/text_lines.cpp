#include "agent/sources/text_lines.h"

#include <cstring>

namespace negoheal::sources {

std::uint64_t emit_cut_lines(std::string_view block, std::uint64_t base_offset, std::size_t max_line,
                             const ChunkSink& sink) {
  std::uint64_t cut = 0;
  std::size_t run_start = 0;  // start of the lines not handed out yet
  std::size_t line = 0;       // start of the line being checked
  while (block.size() - line > max_line) {
    // Some newline in (line, line + max_line] means the line starting at `line` is short enough.
    // Searching backwards from the window's end stops after about one line's length.
    const auto nl = block.substr(line, max_line + 1).rfind('\n');
    if (nl != std::string_view::npos) {
      line += nl + 1;
      continue;
    }
    if (line > run_start) sink(block.substr(run_start, line - run_start), base_offset + run_start);
    sink(block.substr(line, max_line), base_offset + line);
    ++cut;
    const void* end = std::memchr(block.data() + line + max_line, '\n', block.size() - line - max_line);
    if (!end) return cut;
    line = static_cast<std::size_t>(static_cast<const char*>(end) - block.data()) + 1;
    run_start = line;
  }
  if (block.size() > run_start) sink(block.substr(run_start), base_offset + run_start);
  return cut;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

void append_utf16le_as_utf8(std::string& out, std::string_view units) {
  std::uint32_t high = 0;
  for (std::size_t i = 0; i + 1 < units.size(); i += 2) {
    const auto u = static_cast<std::uint16_t>(static_cast<unsigned char>(units[i]) |
                                              (static_cast<unsigned char>(units[i + 1]) << 8));
    if (u >= 0xD800 && u <= 0xDBFF) {
      if (high) append_utf8(out, 0xFFFD);
      high = u;
      continue;
    }
    if (u >= 0xDC00 && u <= 0xDFFF) {
      append_utf8(out, high ? 0x10000 + ((high - 0xD800) << 10) + (u - 0xDC00) : 0xFFFD);
      high = 0;
      continue;
    }
    if (high) append_utf8(out, 0xFFFD);
    high = 0;
    append_utf8(out, u);
  }
  if (high) append_utf8(out, 0xFFFD);
}

}  // namespace negoheal::sources
