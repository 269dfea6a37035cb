#pragma once
// The FreeRDP WLog line prefix (DOMAIN §3):
//   2.x: [HH:MM:SS:mmm] [pid:tid] [LEVEL][logger] - message
//   3.x: [HH:MM:SS:mmm] [pid:tid] [LEVEL][logger] - [function]: message
//        [HH:MM:SS:mmm] [pid:tid] [LEVEL][logger] - [function][ctx]: message
// tid is decimal (Linux) or 8-digit hex (Windows). There is no date.
#include <chrono>
#include <optional>
#include <string_view>

namespace negoheal::parsers {

struct WlogLine {
  std::chrono::milliseconds time_of_day{};
  std::string_view thread;    // "pid:tid" as printed
  std::string_view level;     // TRACE DEBUG INFO WARN ERROR FATAL
  std::string_view logger;    // com.freerdp.core.nego
  std::string_view function;  // 3.x only
  std::string_view message;   // after the prefix (and after "[function]...: " in 3.x)
};

std::optional<WlogLine> parse_wlog_line(std::string_view s);

}  // namespace negoheal::parsers
