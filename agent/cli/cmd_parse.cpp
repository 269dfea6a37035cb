#include <ostream>

#include "agent/cli/common.h"
#include "agent/cli/input_options.h"

namespace negoheal::cli {
namespace {

int run(const Args& args, Io& io) {
  auto s = load_settings_arg(args);
  if (!s) return fail(io, s.error().message);
  auto opts = input_options(args, *s, io);
  if (!opts) return fail(io, opts.error().message, k_exit_usage);
  int rc = k_exit_ok;
  for (const auto& input : args.positional()) {
    auto diag = *opts;
    diag.diagnostics = [&io, &input](std::uint64_t offset, std::string_view reason) {
      io.err << "negoheal: " << input << "@" << offset << ": skipped: " << reason << "\n";
    };
    auto r = pipeline::parse_file(input, diag, [&](Event&& e) { io.out << to_json_line(e) << '\n'; });
    if (!r) {
      io.err << "negoheal: " << r.error().message << "\n";
      rc = k_exit_failure;
    }
  }
  return rc;
}

}  // namespace

Command parse_command() {
  return {{"parse",
           "parse [-c FILE] [--format FORMAT] [--date YYYY-MM-DD] FILE...",
           "Print the normalized events found in log files, one JSON object a line.\n"
           "Nothing is stored. Malformed records are reported on stderr and skipped.",
           {k_config_option, k_format_option, k_date_option},
           "FILE...",
           1,
           0},
          run};
}

}  // namespace negoheal::cli
