#include "agent/cli/stdout_mode.h"

namespace negoheal::cli {

void use_binary_stdout() {}  // POSIX has no text mode

}  // namespace negoheal::cli
