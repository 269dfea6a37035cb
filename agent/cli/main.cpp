#include <iostream>
#include <string>
#include <vector>

#include "agent/cli/command.h"
#include "agent/cli/stdout_mode.h"

int main(int argc, char** argv) {
  negoheal::cli::use_binary_stdout();
  std::ios::sync_with_stdio(false);
  std::vector<std::string> args(argv + 1, argv + argc);
  negoheal::cli::Io io{std::cout, std::cerr};
  const int rc = negoheal::cli::dispatch(args, io);
  std::cout.flush();
  return rc;
}
