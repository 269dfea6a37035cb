#include "core/timestamp.h"

#include <cstdio>

namespace negoheal {
namespace {

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

}  // namespace

TimePoint make_time(int year, unsigned month, unsigned day, std::chrono::microseconds time_of_day) {
  using namespace std::chrono;
  const sys_days d = year_month_day{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}};
  return TimePoint(duration_cast<microseconds>(d.time_since_epoch()) + time_of_day);
}

std::string format_timestamp(TimePoint t) {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  auto rest = t - day;
  const auto h = duration_cast<hours>(rest);
  rest -= h;
  const auto m = duration_cast<minutes>(rest);
  rest -= m;
  const auto s = duration_cast<seconds>(rest);
  rest -= s;
  const auto us = rest.count();
  char buf[64];
  if (us % 1000 == 0) {
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), static_cast<int>(h.count()),
                  static_cast<int>(m.count()), static_cast<int>(s.count()), static_cast<int>(us / 1000));
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%06dZ", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), static_cast<int>(h.count()),
                  static_cast<int>(m.count()), static_cast<int>(s.count()), static_cast<int>(us));
  }
  return buf;
}

std::optional<ParsedTimestamp> parse_leading_timestamp(std::string_view s, std::chrono::seconds naive_utc_offset) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!digits(s, 0, 4, year) || s.size() < 19 || s[4] != '-' || !digits(s, 5, 2, month) || s[7] != '-' ||
      !digits(s, 8, 2, day) || (s[10] != 'T' && s[10] != ' ' && s[10] != 't') || !digits(s, 11, 2, hour) ||
      s[13] != ':' || !digits(s, 14, 2, minute) || s[16] != ':' || !digits(s, 17, 2, second)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                                        std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return std::nullopt;
  std::size_t i = 19;
  std::int64_t frac_us = 0;
  if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
    std::size_t start = ++i;
    std::int64_t scale = 100000;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      if (scale > 0) frac_us += (s[i] - '0') * scale;
      scale /= 10;
      ++i;
    }
    if (i == start) return std::nullopt;
  }
  ParsedTimestamp out;
  std::chrono::seconds offset = naive_utc_offset;
  std::size_t j = i;
  if (j < s.size() && s[j] == ' ' && j + 1 < s.size() && (s[j + 1] == '+' || s[j + 1] == '-' || s[j + 1] == 'Z')) ++j;
  if (j < s.size() && (s[j] == 'Z' || s[j] == 'z')) {
    out.has_offset = true;
    offset = {};
    i = j + 1;
  } else if (j < s.size() && (s[j] == '+' || s[j] == '-')) {
    int oh = 0, om = 0;
    std::size_t k = j + 1;
    if (digits(s, k, 2, oh)) {
      k += 2;
      if (k < s.size() && s[k] == ':' && digits(s, k + 1, 2, om)) {
        k += 3;
      } else if (digits(s, k, 2, om)) {
        k += 2;
      }
      if (oh <= 23 && om <= 59) {
        out.has_offset = true;
        const auto off = std::chrono::hours(oh) + std::chrono::minutes(om);
        offset = std::chrono::duration_cast<std::chrono::seconds>(s[j] == '-' ? -off : off);
        i = k;
      }
    }
  }
  if (second == 60) second = 59;  // leap second: clamp rather than reject
  const auto tod = std::chrono::hours(hour) + std::chrono::minutes(minute) + std::chrono::seconds(second) +
                   std::chrono::microseconds(frac_us);
  out.time = make_time(year, static_cast<unsigned>(month), static_cast<unsigned>(day),
                       std::chrono::duration_cast<std::chrono::microseconds>(tod)) -
             std::chrono::duration_cast<std::chrono::microseconds>(offset);
  out.length = i;
  return out;
}

Result<TimePoint> parse_timestamp(std::string_view text) {
  int year = 0, month = 0, day = 0;
  if (text.size() == 10 && digits(text, 0, 4, year) && text[4] == '-' && digits(text, 5, 2, month) && text[7] == '-' &&
      digits(text, 8, 2, day)) {
    const std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                                          std::chrono::day{static_cast<unsigned>(day)}};
    if (ymd.ok()) return make_time(year, static_cast<unsigned>(month), static_cast<unsigned>(day), {});
  }
  auto p = parse_leading_timestamp(text);
  if (!p || p->length != text.size()) {
    return make_error("invalid timestamp '" + std::string(text.substr(0, 64)) +
                      "' (expected ISO 8601, e.g. 2026-11-24T10:00:00Z or 2026-11-24)");
  }
  return p->time;
}

}  // namespace negoheal
