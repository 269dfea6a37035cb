#include <boost/asio/io_context.hpp>
#include <ostream>

#include "agent/cli/common.h"
#include "agent/probe/probe.h"
#include "agent/probe/report.h"
#include "core/duration.h"
#include "core/host.h"

namespace negoheal::cli {
namespace {

// Longer would only hide a filtered port; the daemon uses the configured value.
constexpr Duration k_max_timeout = std::chrono::minutes(2);

int run(const Args& args, Io& io) {
  probe::ProbeOptions options;
  if (auto t = args.get("--timeout")) {
    auto d = parse_duration(*t);
    if (!d) return fail(io, "--timeout: " + d.error().message, k_exit_usage);
    if (*d <= Duration::zero() || *d > k_max_timeout) {
      return fail(io, "--timeout: must be more than 0 and at most " + format_duration(k_max_timeout), k_exit_usage);
    }
    options.timeout = *d;
  }
  auto target = parse_host_port(args.positional().front());
  if (!target) return fail(io, target.error().message);
  boost::asio::io_context context;
  auto result = probe::probe(context, *target, options);
  if (!result) return fail(io, result.error().message);
  if (args.has("--json")) {
    io.out << probe::to_json(*result).dump() << "\n";
  } else {
    probe::render_text(*result, io.out);
  }
  return k_exit_ok;
}

}  // namespace

Command probe_command() {
  return {{"probe",
           "probe HOST[:PORT] [--timeout DUR] [--json]",
           "Classify the target's RDP security posture with a no-credentials negotiation probe.\n"
           "Sends up to three X.224 Connection Requests (SSL|HYBRID, SSL, RDP), each on its own\n"
           "connection, and closes each at the reply: no TLS, no credentials. The target logs each one.\n"
           "Exit status 0 whenever the probe ran, whatever the posture; 1 if the host is invalid or\n"
           "does not resolve.",
           {{"--timeout", "", "DUR", "deadline of each request, e.g. 500ms, 3s (default 3s)"},
            {"--json", "", "", "print the result as one JSON object"}},
           "HOST[:PORT]",
           1,
           1},
          run};
}

}  // namespace negoheal::cli
