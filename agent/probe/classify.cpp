#include "agent/probe/classify.h"

#include <algorithm>

namespace negoheal::probe {
namespace {

using x224::AnswerKind;

constexpr std::uint32_t k_ask_both = k_request_sequence[0];
constexpr std::uint32_t k_ask_ssl = k_request_sequence[1];
constexpr std::uint32_t k_ask_rdp = k_request_sequence[2];
constexpr std::uint32_t k_ssl_required = 1;
constexpr std::uint32_t k_ssl_not_allowed = 2;
constexpr std::uint32_t k_cert_not_on_server = 3;
constexpr std::uint32_t k_hybrid_required = 5;
constexpr std::uint32_t k_ssl_with_user_auth_required = 6;
constexpr std::uint32_t k_any_nla = x224::k_protocol_hybrid | x224::k_protocol_hybrid_ex;

const Attempt* find(std::span<const Attempt> attempts, std::uint32_t requested) {
  const auto it =
      std::find_if(attempts.begin(), attempts.end(), [&](const Attempt& a) { return a.requested == requested; });
  return it == attempts.end() ? nullptr : &*it;
}

bool answered(const Attempt* a) {
  return a != nullptr && a->answered();
}
bool fails_with(const Attempt* a, std::uint32_t code) {
  return answered(a) && a->answer.kind == AnswerKind::failure && a->answer.value == code;
}
bool selects_any(const Attempt* a, std::uint32_t mask) {
  return answered(a) && a->answer.kind == AnswerKind::response && (a->answer.value & mask) != 0;
}
bool selects_rdp(const Attempt* a) {
  return answered(a) && a->answer.kind == AnswerKind::response && a->answer.value == x224::k_protocol_rdp;
}
// Both ways of saying "RDP only": Windows refuses with SSL_NOT_ALLOWED_BY_SERVER, xrdp "selects"
// PROTOCOL_RDP although the client did not offer it (lab/README §3).
bool refuses_ssl(const Attempt* a) {
  return fails_with(a, k_ssl_not_allowed) || (selects_rdp(a) && a->requested != x224::k_protocol_rdp);
}

Posture without_answer(const Attempt& a) {
  return a.outcome == Outcome::refused || a.outcome == Outcome::connect_timeout ? Posture::unreachable
                                                                                : Posture::not_rdp;
}

// Valid answers that match no row: report the closest posture, never one that triggers the heal.
Classification closest(const Attempt* both, const Attempt* ssl, const Attempt* rdp) {
  const std::string note = "the answers match no row of the posture table; closest posture reported";
  if (fails_with(both, k_ssl_required) || fails_with(both, k_ssl_with_user_auth_required)) {
    return {Posture::tls_required, note};
  }
  if (selects_rdp(rdp)) return {Posture::negotiate, note};
  if (selects_any(ssl, x224::k_protocol_ssl) || selects_any(both, x224::k_protocol_ssl))
    return {Posture::tls_required, note};
  if (selects_any(both, k_any_nla)) return {Posture::nla_required, note};
  return {Posture::not_rdp, "the answers match no known RDP server behaviour"};
}

}  // namespace

Classification classify(std::span<const Attempt> attempts) {
  if (attempts.empty()) return {Posture::unreachable, "no request was sent"};
  const Attempt* both = find(attempts, k_ask_both);
  const Attempt* ssl = find(attempts, k_ask_ssl);
  const Attempt* rdp = find(attempts, k_ask_rdp);
  if (both == nullptr) return {Posture::not_rdp, "the SSL|HYBRID request is missing"};
  if (!both->answered()) return {without_answer(*both), ""};
  if (both->answer.kind == AnswerKind::bare) return {Posture::legacy, ""};
  if (fails_with(both, k_cert_not_on_server) || fails_with(ssl, k_cert_not_on_server))
    return {Posture::cert_problem, ""};
  if (refuses_ssl(both)) {
    // FreeRDP retries with SSL alone: RDP-only only if that is refused too. "Ask RDP" just confirms.
    if (ssl == nullptr) return {Posture::rdp_only, "the SSL request was not sent"};
    if (!ssl->answered()) return {without_answer(*ssl), "refused SSL|HYBRID, then no answer to SSL"};
    if (refuses_ssl(ssl)) return {Posture::rdp_only, ""};
    return closest(both, ssl, rdp);
  }
  if (fails_with(ssl, k_hybrid_required) || fails_with(both, k_hybrid_required)) return {Posture::nla_required, ""};
  if (!selects_any(both, x224::k_protocol_ssl | k_any_nla)) return closest(both, ssl, rdp);
  // Offered TLS or NLA: the SSL and RDP requests tell negotiate from tls-required.
  if (ssl != nullptr && !ssl->answered()) return {without_answer(*ssl), "answered SSL|HYBRID, then no answer to SSL"};
  if (!selects_any(ssl, x224::k_protocol_ssl)) return closest(both, ssl, rdp);
  if (rdp != nullptr && !rdp->answered())
    return {without_answer(*rdp), "answered SSL|HYBRID and SSL, then no answer to RDP"};
  if (fails_with(rdp, k_ssl_required)) return {Posture::tls_required, ""};
  if (selects_rdp(rdp)) return {Posture::negotiate, ""};
  return closest(both, ssl, rdp);
}

std::optional<std::uint32_t> next_request(std::span<const Attempt> done) {
  if (done.size() >= k_request_sequence.size()) return std::nullopt;
  if (!done.empty()) {
    const Attempt& last = done.back();
    if (!last.answered() || last.answer.kind == AnswerKind::bare) return std::nullopt;
    const Attempt* both = find(done, k_ask_both);
    const Attempt* ssl = find(done, k_ask_ssl);
    if (fails_with(ssl, k_hybrid_required)) return std::nullopt;
    if (fails_with(both, k_cert_not_on_server) && fails_with(ssl, k_cert_not_on_server)) return std::nullopt;
  }
  return k_request_sequence[done.size()];
}

bool explains_nego_failure(Posture posture) {
  return posture == Posture::rdp_only || posture == Posture::legacy;
}

std::string_view posture_name(Posture posture) {
  switch (posture) {
    case Posture::rdp_only:
      return "rdp-only";
    case Posture::negotiate:
      return "negotiate";
    case Posture::tls_required:
      return "tls-required";
    case Posture::nla_required:
      return "nla-required";
    case Posture::cert_problem:
      return "cert-problem";
    case Posture::legacy:
      return "legacy";
    case Posture::unreachable:
      return "unreachable";
    case Posture::not_rdp:
      return "not-rdp";
  }
  return "not-rdp";
}

std::string_view posture_description(Posture posture) {
  switch (posture) {
    case Posture::rdp_only:
      return "standard RDP security only, no TLS, no NLA (SecurityLayer 0, NLA off)";
    case Posture::negotiate:
      return "TLS or NLA offered, standard RDP security still accepted (SecurityLayer 1)";
    case Posture::tls_required:
      return "TLS required, NLA off (SecurityLayer 2)";
    case Posture::nla_required:
      return "Network Level Authentication required";
    case Posture::cert_problem:
      return "the target has no usable TLS certificate (SSL_CERT_NOT_ON_SERVER): fix the certificate";
    case Posture::legacy:
      return "legacy server without security negotiation: standard RDP security only";
    case Posture::unreachable:
      return "no TCP connection: down, filtered, or the wrong port";
    case Posture::not_rdp:
      return "something answers, but not as an RDP server";
  }
  return "";
}

std::string_view outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::answered:
      return "answered";
    case Outcome::refused:
      return "refused";
    case Outcome::connect_timeout:
      return "connect-timeout";
    case Outcome::timeout:
      return "timeout";
    case Outcome::closed:
      return "closed";
    case Outcome::reset:
      return "reset";
    case Outcome::invalid:
      return "invalid";
  }
  return "invalid";
}

}  // namespace negoheal::probe
