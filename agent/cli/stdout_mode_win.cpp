#include <fcntl.h>
#include <io.h>

#include <cstdio>

#include "agent/cli/stdout_mode.h"

namespace negoheal::cli {

void use_binary_stdout() {
  _setmode(_fileno(stdout), _O_BINARY);
}

}  // namespace negoheal::cli
