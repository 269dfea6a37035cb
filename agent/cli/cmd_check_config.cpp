#include <ostream>

#include "agent/cli/common.h"
#include "agent/settings/schema.h"

namespace negoheal::cli {
namespace {

int run(const Args& args, Io& io) {
  if (args.has("--schema")) {
    io.out << settings::config_json_schema().dump(2) << "\n";
    return k_exit_ok;
  }
  if (args.has("--keys")) {
    io.out << settings::config_keys_help();
    return k_exit_ok;
  }
  if (args.positional().empty()) return fail(io, "check-config needs FILE (or --schema, --keys)", k_exit_usage);
  int rc = k_exit_ok;
  for (const auto& file : args.positional()) {
    auto s = settings::load_settings(file);
    if (!s) {
      io.err << s.error().message << "\n";
      rc = k_exit_failure;
    } else {
      io.out << file << ": ok\n";
    }
  }
  return rc;
}

}  // namespace

Command check_config_command() {
  return {{"check-config",
           "check-config FILE... | --schema | --keys",
           "Validate configuration files. Every error names the file, the JSON pointer and the reason;\n"
           "unknown keys are errors that list the valid ones.",
           {{"--schema", "", "", "print the JSON Schema of the configuration"},
            {"--keys", "", "", "print every configuration key with its meaning"}},
           "FILE...",
           0,
           0},
          run};
}

}  // namespace negoheal::cli
