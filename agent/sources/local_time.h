#pragma once
#include <chrono>

#include "core/clock.h"

namespace negoheal::sources {

// Offset of the machine's local time zone at `at` (local = UTC + offset). Logs that print local
// times without a zone (FreeRDP's wlog prefix) are anchored with it.
std::chrono::seconds local_utc_offset(TimePoint at);

}  // namespace negoheal::sources
