#include "core/duration.h"

#include <cstdint>
#include <limits>

namespace negoheal {

Result<Duration> parse_duration(std::string_view text) {
  auto bad = [&](const char* why) {
    return make_error("invalid duration '" + std::string(text) + "': " + why +
                      " (expected a number with a unit: ms, s, m, h, e.g. \"10m\")");
  };
  if (text.empty()) return bad("empty");
  std::int64_t total_us = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    std::int64_t n = 0;
    std::size_t digits = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (n > std::numeric_limits<std::int64_t>::max() / 10 - 10) return bad("too large");
      n = n * 10 + (text[i] - '0');
      ++i;
      ++digits;
    }
    if (digits == 0) return bad("expected a number");
    std::int64_t unit_us = 0;
    if (text.substr(i, 2) == "ms") {
      unit_us = 1000;
      i += 2;
    } else if (i < text.size() && text[i] == 's') {
      unit_us = 1'000'000;
      ++i;
    } else if (i < text.size() && text[i] == 'm') {
      unit_us = 60'000'000;
      ++i;
    } else if (i < text.size() && text[i] == 'h') {
      unit_us = 3'600'000'000;
      ++i;
    } else {
      return bad("missing or unknown unit");
    }
    if (n > (std::numeric_limits<std::int64_t>::max() - total_us) / unit_us) return bad("too large");
    total_us += n * unit_us;
  }
  return Duration(total_us);
}

std::string format_duration(Duration d) {
  const auto us = d.count();
  if (us % 3'600'000'000 == 0 && us != 0) return std::to_string(us / 3'600'000'000) + "h";
  if (us % 60'000'000 == 0 && us != 0) return std::to_string(us / 60'000'000) + "m";
  if (us % 1'000'000 == 0) return std::to_string(us / 1'000'000) + "s";
  if (us % 1000 == 0) return std::to_string(us / 1000) + "ms";
  return std::to_string(us) + "us";
}

}  // namespace negoheal
