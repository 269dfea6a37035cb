#pragma once
// Test seam: start a program from an argv vector with no shell in between and wait for it.
// POSIX uses posix_spawn; the Windows lane has no equivalent that keeps argv elements apart (a
// Windows process receives one command line), so there the tests that need it skip at run time.
#include <string>
#include <vector>

#include "core/result.h"

namespace negoheal::testing {

bool can_spawn_argv();

// `env` is the child's whole environment ("NAME=value" entries). Returns the exit status.
Result<int> spawn_argv_and_wait(const std::vector<std::string>& argv, const std::vector<std::string>& env);

}  // namespace negoheal::testing
