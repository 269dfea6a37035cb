#pragma once
// Maps the answers to up to three Connection Requests (ask SSL|HYBRID, ask SSL, ask RDP) to the
// target's security posture, per the table in DOMAIN §6. Pure: the tests drive every row with
// hand-made answers, no sockets.
#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "agent/probe/x224.h"

namespace negoheal::probe {

// The requests, in the order they are sent: FreeRDP with RdpSecurity off asks 3 and then 1.
inline constexpr std::array<std::uint32_t, 3> k_request_sequence{x224::k_protocol_ssl | x224::k_protocol_hybrid,
                                                                 x224::k_protocol_ssl, x224::k_protocol_rdp};

enum class Posture { rdp_only, negotiate, tls_required, nla_required, cert_problem, legacy, unreachable, not_rdp };

// What one request got. Everything but `answered` means no valid Connection Confirm.
enum class Outcome {
  answered,         // a valid CC: see Attempt::answer
  refused,          // no TCP connection: refused, host or network unreachable
  connect_timeout,  // no TCP connection within the deadline
  timeout,          // connected, no complete reply within the deadline
  closed,           // connected, the peer closed before a complete reply
  reset,            // connected, the peer reset the connection
  invalid,          // a reply that is not a TPKT / X.224 CC / negotiation structure
};

struct Attempt {
  std::uint32_t requested = 0;
  Outcome outcome = Outcome::answered;
  x224::Answer answer;            // meaningful only when outcome == answered
  std::vector<std::uint8_t> raw;  // every byte received, even when invalid
  std::string error;              // why there is no answer
  std::chrono::milliseconds elapsed{0};

  [[nodiscard]] bool answered() const { return outcome == Outcome::answered; }
};

struct Classification {
  Posture posture = Posture::unreachable;
  std::string note;  // set when the answers match no row of the table exactly
};

Classification classify(std::span<const Attempt> attempts);

// The next request worth sending, or nullopt once more answers cannot change the posture (each
// probe is logged on the target, DOMAIN §6). Stops after a request that got no CC or a bare CC
// (a server that ignores negotiation ignores it every time), after HYBRID_REQUIRED to "ask SSL"
// (asking for less cannot succeed) and after SSL_CERT_NOT_ON_SERVER twice. RDP-only still gets
// "ask RDP": proof the target accepts the proxy once RdpSecurity is on.
std::optional<std::uint32_t> next_request(std::span<const Attempt> done);

// True when the posture makes a FreeRDP client without RdpSecurity fail with
// ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED the seed's way: rdp-only, and legacy (it speaks only
// standard RDP security; "possibly" in the table). cert-problem also fails negotiation but has
// another fix, so it is false here; the posture carries the diagnosis.
bool explains_nego_failure(Posture posture);

std::string_view posture_name(Posture posture);         // "rdp-only", ...
std::string_view posture_description(Posture posture);  // one human sentence
std::string_view outcome_name(Outcome outcome);         // "refused", ...

}  // namespace negoheal::probe
