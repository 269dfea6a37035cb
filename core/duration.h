#pragma once
// Durations in config and on the command line: a number with a unit, "250ms", "3s", "10m", "2h",
// or a sum of them ("1h30m"). A bare number is an error: units are never guessed.
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"

namespace negoheal {

Result<Duration> parse_duration(std::string_view text);
std::string format_duration(Duration d);

}  // namespace negoheal
