#pragma once
// Subcommands: one file each, registered in one explicit list (cli/commands.cpp).
#include <iosfwd>
#include <string>
#include <vector>

#include "agent/cli/args.h"

namespace negoheal::cli {

// Exit codes (ARCHITECTURE §4.1).
inline constexpr int k_exit_ok = 0;
inline constexpr int k_exit_failure = 1;
inline constexpr int k_exit_usage = 2;

struct Io {
  std::ostream& out;
  std::ostream& err;
};

struct Command {
  CommandSpec spec;
  int (*run)(const Args& args, Io& io);
};

const std::vector<Command>& commands();

// Entry point: argv without the program name.
int dispatch(const std::vector<std::string>& argv, Io& io);

// Individual commands.
Command parse_command();
Command replay_command();
Command events_command();
Command timeline_command();
Command check_config_command();
Command demo_command();
Command evtx_command();
Command probe_command();
Command run_command();

}  // namespace negoheal::cli
