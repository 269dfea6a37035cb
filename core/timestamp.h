#pragma once
// ISO 8601 / RFC 3339 timestamps: formatting for output, lenient parsing for log lines.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"

namespace negoheal {

// "2026-11-24T10:00:01.761Z": milliseconds when the value is whole milliseconds, else microseconds.
std::string format_timestamp(TimePoint t);

struct ParsedTimestamp {
  TimePoint time;
  std::size_t length = 0;   // characters consumed
  bool has_offset = false;  // false: a naive local time, interpreted with the caller's offset
};

// Parses a timestamp at the start of `text`: YYYY-MM-DD, 'T' or ' ', HH:MM:SS, optional
// [.,]fraction, optional [' ']Z|+HH:MM|+HHMM|+HH. Naive times are shifted by `naive_utc_offset`
// (local = UTC + offset). Returns nullopt when `text` does not start with one.
std::optional<ParsedTimestamp> parse_leading_timestamp(std::string_view s, std::chrono::seconds naive_utc_offset = {});

// A whole string that must be a timestamp (CLI --since/--until, JSON input). Also accepts a date
// alone ("2026-11-24", midnight UTC).
Result<TimePoint> parse_timestamp(std::string_view text);

// Days since 1970-01-01 for a civil date, and back.
TimePoint make_time(int year, unsigned month, unsigned day, std::chrono::microseconds time_of_day);

}  // namespace negoheal
