#include "agent/probe/x224.h"

namespace negoheal::probe::x224 {
namespace {

constexpr std::uint8_t k_tpkt_version = 3;
constexpr std::uint8_t k_cr_code = 0xE0;
constexpr std::uint8_t k_cc_code = 0xD0;
constexpr std::uint8_t k_type_neg_req = 1;
constexpr std::uint8_t k_type_neg_rsp = 2;
constexpr std::uint8_t k_type_neg_failure = 3;
constexpr std::size_t k_neg_size = 8;

std::uint32_t read_u32_le(std::span<const std::uint8_t> b) {
  return static_cast<std::uint32_t>(b[0]) | (static_cast<std::uint32_t>(b[1]) << 8U) |
         (static_cast<std::uint32_t>(b[2]) << 16U) | (static_cast<std::uint32_t>(b[3]) << 24U);
}

std::uint8_t byte_of(std::uint32_t v, unsigned shift) {
  return static_cast<std::uint8_t>((v >> shift) & 0xFFU);
}

}  // namespace

std::array<std::uint8_t, k_request_size> build_connection_request(std::uint32_t requested_protocols) {
  return {k_tpkt_version, 0, 0, static_cast<std::uint8_t>(k_request_size),
          // LI counts the TPDU header after itself: 6 fixed bytes + the 8-byte RDP_NEG_REQ.
          static_cast<std::uint8_t>(k_request_size - 5), k_cr_code, 0, 0, 0, 0, 0, k_type_neg_req, 0,
          static_cast<std::uint8_t>(k_neg_size), 0, byte_of(requested_protocols, 0), byte_of(requested_protocols, 8),
          byte_of(requested_protocols, 16), byte_of(requested_protocols, 24)};
}

Result<std::size_t> decode_tpkt_header(std::span<const std::uint8_t> header) {
  if (header.size() < k_tpkt_header_size) return make_error("short TPKT header");
  if (header[0] != k_tpkt_version) return make_error("not a TPKT header (version " + std::to_string(header[0]) + ")");
  const std::size_t length = (static_cast<std::size_t>(header[2]) << 8U) | header[3];
  if (length < k_min_reply_size || length > k_max_reply_size) {
    return make_error("TPKT length " + std::to_string(length) + " out of range");
  }
  return length;
}

Result<Answer> decode_connection_confirm(std::span<const std::uint8_t> packet) {
  auto length = decode_tpkt_header(packet);
  if (!length) return length.error();
  if (*length != packet.size()) return make_error("TPKT length does not match the packet");
  // LI covers the rest of the TPDU; RDP puts nothing but the negotiation structure after the header.
  if (static_cast<std::size_t>(packet[4]) + 5 != packet.size()) return make_error("X.224 length indicator mismatch");
  if ((packet[5] & 0xF0U) != k_cc_code) return make_error("not an X.224 Connection Confirm");
  const auto neg = packet.subspan(k_min_reply_size);
  if (neg.empty()) return Answer{AnswerKind::bare, 0, 0};
  if (neg.size() != k_neg_size) return make_error("negotiation data of " + std::to_string(neg.size()) + " bytes");
  if (neg[2] != k_neg_size || neg[3] != 0) return make_error("negotiation structure length is not 8");
  const std::uint32_t value = read_u32_le(neg.subspan(4));
  if (neg[0] == k_type_neg_rsp) return Answer{AnswerKind::response, neg[1], value};
  if (neg[0] == k_type_neg_failure) return Answer{AnswerKind::failure, neg[1], value};
  return make_error("unknown negotiation type " + std::to_string(neg[0]));
}

std::string protocol_names(std::uint32_t protocols) {
  if (protocols == k_protocol_rdp) return "RDP";
  struct Flag {
    std::uint32_t bit;
    std::string_view name;
  };
  constexpr std::array<Flag, 4> k_flags{{{k_protocol_ssl, "SSL"},
                                         {k_protocol_hybrid, "HYBRID"},
                                         {k_protocol_rdstls, "RDSTLS"},
                                         {k_protocol_hybrid_ex, "HYBRID_EX"}}};
  std::string out;
  std::uint32_t rest = protocols;
  for (const auto& f : k_flags) {
    if ((protocols & f.bit) == 0) continue;
    if (!out.empty()) out += '|';
    out += f.name;
    rest &= ~f.bit;
  }
  if (rest != 0) {
    static constexpr char k_digits[] = "0123456789abcdef";
    std::string hex;
    for (std::uint32_t v = rest; v != 0; v >>= 4U)
      hex.insert(hex.begin(), k_digits[v & 0xFU]);
    if (!out.empty()) out += '|';
    out += "0x" + hex;
  }
  return out;
}

std::string_view answer_kind_name(AnswerKind kind) {
  switch (kind) {
    case AnswerKind::response:
      return "response";
    case AnswerKind::failure:
      return "failure";
    case AnswerKind::bare:
      return "bare";
  }
  return "bare";
}

std::string to_hex(std::span<const std::uint8_t> bytes) {
  static constexpr char k_digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const auto b : bytes) {
    out += k_digits[b >> 4U];
    out += k_digits[b & 0xFU];
  }
  return out;
}

}  // namespace negoheal::probe::x224
