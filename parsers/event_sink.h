#pragma once
// What parsers share: where events go and what they know about the bytes they were given.
// Parsers never read a clock, a file or a socket: the caller passes the reference time.
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "core/clock.h"
#include "core/event.h"

namespace negoheal::parsers {

using EventSink = std::function<void(Event&&)>;

struct TimeAnchor {
  // When the bytes were last written (file mtime for a replay, receive time when tailing).
  // Formats that print only a time of day (FreeRDP wlog) take their date from it: a line's
  // time is the latest instant with that time of day not after `reference` (+ a small slack).
  TimePoint reference{};
  // Offset of the local time zone the log was written in (local = UTC + offset).
  std::chrono::seconds local_utc_offset{};
};

struct ParserStats {
  std::uint64_t bytes = 0;
  std::uint64_t candidate_lines = 0;  // lines that carried an anchor and were inspected
  std::uint64_t events = 0;
  std::uint64_t duplicates_suppressed = 0;  // further lines of an attempt already reported
  std::uint64_t rejected_hosts = 0;         // host strings that failed validation
  std::uint64_t malformed = 0;              // records that could not be parsed (JSON lines)
};

}  // namespace negoheal::parsers
