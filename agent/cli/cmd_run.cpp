#include <spdlog/logger.h>

#include "agent/cli/common.h"
#include "agent/cli/input_options.h"
#include "agent/runtime/agent.h"
#include "agent/runtime/logging.h"
#include "core/duration.h"

namespace negoheal::cli {
namespace {

int run(const Args& args, Io& io) {
  runtime::RunOptions options;
  if (auto c = args.get("--config")) options.config = *c;
  options.dry_run = args.has("--dry-run");
  if (auto d = args.get("--shutdown-deadline")) {
    auto parsed = parse_duration(*d);
    if (!parsed || *parsed <= Duration::zero())
      return fail(io, "--shutdown-deadline: expected a positive duration such as 10s", k_exit_usage);
    options.shutdown_deadline = *parsed;
  }
  auto log = runtime::make_logger("text", "info");
  if (!log) return fail(io, log.error().message);
  return runtime::run_agent(options, **log);
}

}  // namespace

Command run_command() {
  return {{"run",
           "run [-c FILE] [--dry-run] [--shutdown-deadline DUR]",
           "The agent, in the foreground: follows the configured log files, turns failures into incidents\n"
           "and diagnoses them. Every line is stored exactly once across rotations, restarts and crashes\n"
           "(checkpoints commit with the events). Logs go to stderr (log.format text or json).\n"
           "SIGTERM/SIGINT: stop reading, let running probes finish, exit. SIGHUP: reload the config\n"
           "(an invalid one is reported and the running one kept). /metrics and /healthz on http.listen.",
           {k_config_option,
            {"--dry-run", "", "", "never change a target or the proxy, whatever remediation.mode says"},
            {"--shutdown-deadline", "", "DUR", "how long a stop waits for running work (default 10s)"}},
           "",
           0,
           0},
          run};
}

}  // namespace negoheal::cli
