#include "parsers/freerdp/wlog_line.h"

namespace negoheal::parsers {
namespace {

bool two_digits(std::string_view s, std::size_t pos, int& out) {
  if (pos + 2 > s.size() || s[pos] < '0' || s[pos] > '9' || s[pos + 1] < '0' || s[pos + 1] > '9') return false;
  out = (s[pos] - '0') * 10 + (s[pos + 1] - '0');
  return true;
}

bool is_hex_or_digit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

}  // namespace

std::optional<WlogLine> parse_wlog_line(std::string_view s) {
  // "[HH:MM:SS:mmm] " is 15 characters.
  int h = 0, m = 0, sec = 0;
  if (s.size() < 24 || s[0] != '[' || !two_digits(s, 1, h) || s[3] != ':' || !two_digits(s, 4, m) || s[6] != ':' ||
      !two_digits(s, 7, sec) || s[9] != ':' || s[13] != ']' || s[14] != ' ' || s[15] != '[') {
    return std::nullopt;
  }
  int ms = 0;
  for (std::size_t i = 10; i < 13; ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    ms = ms * 10 + (s[i] - '0');
  }
  if (h > 23 || m > 59 || sec > 60) return std::nullopt;
  WlogLine out;
  out.time_of_day =
      std::chrono::hours(h) + std::chrono::minutes(m) + std::chrono::seconds(sec) + std::chrono::milliseconds(ms);
  std::size_t i = 16;
  const std::size_t thread_start = i;
  bool colon = false;
  while (i < s.size() && s[i] != ']') {
    if (s[i] == ':') {
      if (colon) return std::nullopt;
      colon = true;
    } else if (!is_hex_or_digit(s[i])) {
      return std::nullopt;
    }
    ++i;
  }
  if (!colon || i >= s.size() || i - thread_start < 3 || i - thread_start > 40) return std::nullopt;
  out.thread = s.substr(thread_start, i - thread_start);
  // "] [LEVEL][logger] - "
  if (s.substr(i, 3) != "] [") return std::nullopt;
  i += 3;
  const std::size_t level_start = i;
  while (i < s.size() && s[i] >= 'A' && s[i] <= 'Z')
    ++i;
  if (i == level_start || i - level_start > 5 || s.substr(i, 2) != "][") return std::nullopt;
  out.level = s.substr(level_start, i - level_start);
  i += 2;
  const std::size_t logger_start = i;
  while (i < s.size() && s[i] != ']')
    ++i;
  if (i >= s.size() || i == logger_start) return std::nullopt;
  out.logger = s.substr(logger_start, i - logger_start);
  if (s.substr(i, 4) != "] - ") {
    // A message may be empty: "...] -" at the end of the line.
    if (s.substr(i) == "] -" || s.substr(i) == "] - ") {
      out.message = {};
      return out;
    }
    return std::nullopt;
  }
  i += 4;
  std::string_view msg = s.substr(i);
  // 3.x: "[function]: " or "[function][ctx]: "
  if (!msg.empty() && msg[0] == '[') {
    const auto close = msg.find(']');
    if (close != std::string_view::npos && close > 1) {
      std::size_t after = close + 1;
      if (after < msg.size() && msg[after] == '[') {
        const auto close2 = msg.find(']', after);
        if (close2 != std::string_view::npos) after = close2 + 1;
      }
      if (msg.substr(after, 2) == ": ") {
        out.function = msg.substr(1, close - 1);
        msg = msg.substr(after + 2);
      } else if (msg.substr(after) == ":") {
        out.function = msg.substr(1, close - 1);
        msg = {};
      }
    }
  }
  out.message = msg;
  return out;
}

}  // namespace negoheal::parsers
