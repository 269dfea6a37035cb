#pragma once
// The X.224 bytes of RDP security negotiation (MS-RDPBCGR 2.2.1.1 / 2.2.1.2, DOMAIN §6), as pure
// functions: no sockets, no clock, so they are unit-tested with golden bytes and fuzzed.
// Every length and type in a reply is checked before any field is trusted.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/result.h"

namespace negoheal::probe::x224 {

// requestedProtocols / selectedProtocol flags.
inline constexpr std::uint32_t k_protocol_rdp = 0;
inline constexpr std::uint32_t k_protocol_ssl = 1;
inline constexpr std::uint32_t k_protocol_hybrid = 2;
inline constexpr std::uint32_t k_protocol_rdstls = 4;
inline constexpr std::uint32_t k_protocol_hybrid_ex = 8;

inline constexpr std::size_t k_request_size = 19;
inline constexpr std::size_t k_tpkt_header_size = 4;
// TPKT + LI + CC code + DST-REF + SRC-REF + class: a bare Connection Confirm.
inline constexpr std::size_t k_min_reply_size = 11;
// A real CC is 11 or 19 bytes; anything far larger is not an RDP server talking to us.
inline constexpr std::size_t k_max_reply_size = 512;

// The minimal Connection Request: TPKT, CR TPDU, RDP_NEG_REQ, no cookie.
std::array<std::uint8_t, k_request_size> build_connection_request(std::uint32_t requested_protocols);

// Validates a TPKT header (version 3, k_min_reply_size <= length <= k_max_reply_size) and returns the
// whole packet's length, header included.
Result<std::size_t> decode_tpkt_header(std::span<const std::uint8_t> header);

enum class AnswerKind {
  response,  // RDP_NEG_RSP: value = selectedProtocol
  failure,   // RDP_NEG_FAILURE: value = failureCode
  bare,      // a CC without negotiation data: a legacy server (standard RDP security only)
};

struct Answer {
  AnswerKind kind = AnswerKind::bare;
  std::uint8_t flags = 0;
  std::uint32_t value = 0;

  friend bool operator==(const Answer&, const Answer&) = default;
};

// Decodes one whole TPKT packet (header included) holding an X.224 Connection Confirm.
Result<Answer> decode_connection_confirm(std::span<const std::uint8_t> packet);

// "SSL|HYBRID", "RDP" for 0; unknown bits as hex.
std::string protocol_names(std::uint32_t protocols);
std::string_view answer_kind_name(AnswerKind kind);
std::string to_hex(std::span<const std::uint8_t> bytes);

}  // namespace negoheal::probe::x224
