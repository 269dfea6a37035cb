#include "tests/unit/actions/run_argv.h"

namespace negoheal::testing {

bool can_spawn_argv() {
  return false;
}

Result<int> spawn_argv_and_wait(const std::vector<std::string>&, const std::vector<std::string>&) {
  return make_error("no posix_spawn on Windows");
}

}  // namespace negoheal::testing
