#include "agent/probe/x224.h"

#include <gtest/gtest.h>

#include <vector>

namespace negoheal::probe::x224 {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes from_hex(std::string_view hex) {
  Bytes out;
  auto nibble = [](char c) { return static_cast<std::uint8_t>(c <= '9' ? c - '0' : c - 'a' + 10); };
  for (std::size_t i = 0; i + 1 < hex.size(); ++i) {
    if (hex[i] == ' ') continue;
    out.push_back(static_cast<std::uint8_t>((nibble(hex[i]) << 4U) | nibble(hex[i + 1])));
    ++i;
  }
  return out;
}

Result<Answer> decode(std::string_view hex) {
  const auto bytes = from_hex(hex);
  return decode_connection_confirm(bytes);
}

TEST(X224Request, MatchesDomainGoldenBytes) {
  // DOMAIN §6: 03 00 00 13 0E E0 00 00 00 00 00 01 00 08 00 PP 00 00 00, PP = 03, 01, 00.
  for (const std::uint32_t pp : {3U, 1U, 0U}) {
    const auto cr = build_connection_request(pp);
    Bytes expected = from_hex("03 00 00 13 0e e0 00 00 00 00 00 01 00 08 00 00 00 00 00");
    expected[15] = static_cast<std::uint8_t>(pp);
    EXPECT_EQ(Bytes(cr.begin(), cr.end()), expected) << pp;
  }
}

TEST(X224Request, MatchesFreeRdpRequestWithoutCookie) {
  // lab/README §3: FreeRDP's CR ends "01 00 08 00 03 00 00 00"; ours is the same minus the cookie.
  const auto cr = build_connection_request(0x0b);
  EXPECT_EQ(to_hex(cr), "030000130ee00000000000010008000b000000");
  EXPECT_EQ(cr.size(), 19U);
}

TEST(X224Decode, XrdpRdpLayerSelectsRdp) {
  const auto a = decode("03 00 00 13 0e d0 00 00 12 34 00 02 01 08 00 00 00 00 00");
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(*a, (Answer{AnswerKind::response, 0x01, 0}));
}

TEST(X224Decode, XrdpTlsLayerFailsWithSslRequired) {
  const auto a = decode("03 00 00 13 0e d0 00 00 12 34 00 03 00 08 00 01 00 00 00");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(*a, (Answer{AnswerKind::failure, 0, 1}));
}

TEST(X224Decode, XrdpTlsLayerSelectsSsl) {
  const auto a = decode("03 00 00 13 0e d0 00 00 12 34 00 02 01 08 00 01 00 00 00");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(*a, (Answer{AnswerKind::response, 0x01, 1}));
}

TEST(X224Decode, WindowsStyleSslNotAllowed) {
  const auto a = decode("03 00 00 13 0e d0 00 00 12 34 00 03 00 08 00 02 00 00 00");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(*a, (Answer{AnswerKind::failure, 0, 2}));
  EXPECT_EQ(decode("03 00 00 13 0e d0 00 00 12 34 00 03 00 08 00 05 00 00 00")->value, 5U);
}

TEST(X224Decode, LegacyBareConfirm) {
  const auto a = decode("03 00 00 0b 06 d0 00 00 12 34 00");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->kind, AnswerKind::bare);
}

TEST(X224Decode, ReadsTheWholeLittleEndianValue) {
  const auto a = decode("03 00 00 13 0e d0 00 00 12 34 00 02 1f 08 00 08 00 00 01");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->value, 0x01000008U);
  EXPECT_EQ(a->flags, 0x1f);
}

TEST(X224Decode, RejectsMalformedReplies) {
  const char* bad[] = {
      "",                                                                      // nothing
      "03 00 00 13",                                                           // header only
      "04 00 00 13 0e d0 00 00 12 34 00 02 01 08 00 00 00 00 00",              // TPKT version 4
      "03 00 ff ff 0e d0 00 00 12 34 00 02 01 08 00 00 00 00 00",              // length 65535
      "03 00 00 03 0e d0 00 00 12 34 00 02 01 08 00 00 00 00 00",              // length 3
      "03 00 00 14 0e d0 00 00 12 34 00 02 01 08 00 00 00 00 00",              // length says 20, 19 given
      "03 00 00 13 0d d0 00 00 12 34 00 02 01 08 00 00 00 00 00",              // LI mismatch
      "03 00 00 13 0e e0 00 00 12 34 00 02 01 08 00 00 00 00 00",              // a CR, not a CC
      "03 00 00 13 0e d0 00 00 12 34 00 01 00 08 00 00 00 00 00",              // RDP_NEG_REQ type in a CC
      "03 00 00 13 0e d0 00 00 12 34 00 04 00 08 00 00 00 00 00",              // unknown type
      "03 00 00 13 0e d0 00 00 12 34 00 02 01 09 00 00 00 00 00",              // structure length 9
      "03 00 00 13 0e d0 00 00 12 34 00 02 01 08 01 00 00 00 00",              // structure length 264
      "03 00 00 0f 0a d0 00 00 12 34 00 02 01 08 00",                          // truncated structure
      "03 00 00 17 12 d0 00 00 12 34 00 02 01 08 00 00 00 00 00 00 00 00 00",  // trailing data
      "48 54 54 50 2f 31 2e 31 20 34 30 30 20 42 61 64",                       // "HTTP/1.1 400 Bad"
  };
  for (const char* hex : bad)
    EXPECT_FALSE(decode(hex).ok()) << hex;
}

TEST(X224Tpkt, HeaderBounds) {
  EXPECT_EQ(*decode_tpkt_header(from_hex("03 00 00 0b")), 11U);
  EXPECT_EQ(*decode_tpkt_header(from_hex("03 00 02 00")), 512U);
  EXPECT_FALSE(decode_tpkt_header(from_hex("03 00 02 01")).ok());
  EXPECT_FALSE(decode_tpkt_header(from_hex("03 00 00 0a")).ok());
  EXPECT_FALSE(decode_tpkt_header(from_hex("03 00 00")).ok());
  EXPECT_FALSE(decode_tpkt_header(from_hex("16 03 01 00")).ok());  // a TLS record
}

TEST(X224Names, Protocols) {
  EXPECT_EQ(protocol_names(0), "RDP");
  EXPECT_EQ(protocol_names(3), "SSL|HYBRID");
  EXPECT_EQ(protocol_names(0xb), "SSL|HYBRID|HYBRID_EX");
  EXPECT_EQ(protocol_names(0x31), "SSL|0x30");
  EXPECT_EQ(to_hex(from_hex("00 ff 0a")), "00ff0a");
}

}  // namespace
}  // namespace negoheal::probe::x224
