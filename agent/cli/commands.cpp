#include <ostream>

#include "agent/cli/command.h"
#include "agent/cli/common.h"

namespace negoheal::cli {

const std::vector<Command>& commands() {
  static const std::vector<Command> list = {
      run_command(),          parse_command(), replay_command(), events_command(), timeline_command(),
      check_config_command(), demo_command(),  evtx_command(),   probe_command(),
  };
  return list;
}

namespace {

void overview(std::ostream& out) {
  out << "negoheal - heals ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED on an NPS RDP proxy\n\n"
         "usage: negoheal COMMAND [OPTIONS]\n\ncommands:\n";
  for (const auto& c : commands()) {
    std::string name(c.spec.name);
    name.resize(14, ' ');
    const auto d = c.spec.description.substr(0, c.spec.description.find('\n'));
    out << "  " << name << d << "\n";
  }
  out << "\n'negoheal COMMAND --help' describes a command. Exit status: 0 ok, 1 failure or invalid input, 2 usage.\n";
}

}  // namespace

int dispatch(const std::vector<std::string>& argv, Io& io) {
  if (argv.empty() || argv[0] == "--help" || argv[0] == "-h" || argv[0] == "help") {
    if (argv.size() >= 2 && argv[0] == "help") return dispatch({argv[1], "--help"}, io);
    overview(argv.empty() ? io.err : io.out);
    return argv.empty() ? k_exit_usage : k_exit_ok;
  }
  if (argv[0] == "--version") {
    io.out << "negoheal " NEGOHEAL_VERSION "\n";
    return k_exit_ok;
  }
  for (const auto& c : commands()) {
    if (c.spec.name != argv[0]) continue;
    auto args = Args::parse(c.spec, {argv.begin() + 1, argv.end()});
    if (!args) {
      io.err << "negoheal " << c.spec.name << ": " << args.error().message << "\n" << usage(c.spec);
      return k_exit_usage;
    }
    if (args->help()) {
      io.out << usage(c.spec);
      return k_exit_ok;
    }
    return c.run(*args, io);
  }
  io.err << "negoheal: unknown command '" << argv[0] << "'\n\n";
  overview(io.err);
  return k_exit_usage;
}

}  // namespace negoheal::cli
