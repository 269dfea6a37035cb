#include "agent/sources/local_time.h"

#include <ctime>

namespace negoheal::sources {

std::chrono::seconds local_utc_offset(TimePoint at) {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::time_point_cast<std::chrono::seconds>(at));
  // Called at start-up and per input file, from one thread: the static buffers of
  // localtime/gmtime are not shared with anyone here.
  const std::tm local = *std::localtime(&t);  // NOLINT(concurrency-mt-unsafe)
  std::tm utc = *std::gmtime(&t);             // NOLINT(concurrency-mt-unsafe)
  utc.tm_isdst = local.tm_isdst;
  // mktime reads the UTC fields as local time: the difference is the zone's offset.
  const std::time_t as_local = std::mktime(&utc);
  return std::chrono::seconds(static_cast<long long>(std::difftime(t, as_local)));
}

}  // namespace negoheal::sources
