#include "tests/support/wine.h"

namespace negoheal::testing {

bool running_under_wine() {
  return false;
}

}  // namespace negoheal::testing
