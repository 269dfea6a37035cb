#pragma once
// The no-credentials RDP negotiation probe (DOMAIN §6): up to three X.224 Connection Requests,
// each on its own TCP connection, each under a connect+send+read deadline. The connection is
// closed as soon as the Connection Confirm is read: no TLS, no CredSSP, no credentials.
// Every probe is logged on the target (RdpCoreTS 131): callers space probes out, never loop them.
#include <chrono>
#include <cstdint>
#include <exception>
#include <string>
#include <vector>

#include "agent/probe/classify.h"
#include "core/clock.h"
#include "core/host.h"
#include "core/result.h"

namespace boost::asio {
class io_context;
}

namespace negoheal::probe {

inline constexpr std::uint16_t k_default_port = 3389;
inline constexpr Duration k_default_timeout = std::chrono::seconds(3);

struct ProbeOptions {
  // Deadline of each request (connect + send + read) and of the name resolution.
  Duration timeout = k_default_timeout;
  std::uint16_t default_port = k_default_port;  // used when the HostPort has none
};

struct ProbeResult {
  std::string target;  // "host:port", IPv6 in brackets
  Posture posture = Posture::unreachable;
  std::string note;                    // why the posture is a best guess, if it is
  std::vector<Attempt> attempts;       // in the order sent
  std::vector<std::uint32_t> skipped;  // requests not sent because the posture was decided
  std::vector<std::string> addresses;  // what the host resolved to
  std::chrono::milliseconds elapsed{0};

  [[nodiscard]] bool explains_nego_failure() const { return probe::explains_nego_failure(posture); }
};

// Runs the probe on `io` from the calling thread until it completes (other work on `io` runs
// meanwhile). Errors: invalid options, a host that does not resolve within the deadline. Every
// network outcome after that is a ProbeResult. Never throws. Bounded by about
// timeout * (1 + 3). A getaddrinfo() that hangs past the deadline is abandoned, but destroying `io`
// still waits for it (Asio's resolver thread).
Result<ProbeResult> probe(boost::asio::io_context& io, const HostPort& target, const ProbeOptions& options = {});

// "probe failed: <what>" for an exception that escaped a probe coroutine (co_spawn hands it over).
std::string describe_failure(const std::exception_ptr& e);

}  // namespace negoheal::probe
