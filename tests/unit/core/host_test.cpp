#include "core/host.h"

#include <gtest/gtest.h>

namespace negoheal {
namespace {

TEST(Host, NormalizesNamesAndAddresses) {
  EXPECT_EQ(normalize_host("SRV01.Corp.Example").value(), "srv01.corp.example");
  EXPECT_EQ(normalize_host("srv01.corp.example.").value(), "srv01.corp.example");
  EXPECT_EQ(normalize_host("10.0.0.1").value(), "10.0.0.1");
  EXPECT_EQ(normalize_host("FE80:0:0:0:0:0:0:1").value(), "fe80::1");
  EXPECT_EQ(normalize_host("[2001:db8::0001]").value(), "2001:db8::1");
  EXPECT_EQ(normalize_host("::ffff:10.1.2.3").value(), "10.1.2.3");
  EXPECT_EQ(normalize_host("2001:db8:0:0:1:0:0:1").value(), "2001:db8::1:0:0:1");
  EXPECT_EQ(normalize_host("::").value(), "::");
  EXPECT_EQ(normalize_host("localhost").value(), "localhost");
  EXPECT_EQ(host_kind("10.0.0.1"), HostKind::ipv4);
  EXPECT_EQ(host_kind("fe80::1"), HostKind::ipv6);
  EXPECT_EQ(host_kind("srv01"), HostKind::name);
}

TEST(Host, RejectsHostileStrings) {
  const std::string long_name(300, 'a');
  const std::string long_label = std::string(64, 'b') + ".example";
  for (const std::string& bad : {std::string("a;rm -rf /"),
                                 std::string("$(id)"),
                                 std::string("`id`"),
                                 long_name,
                                 long_label,
                                 std::string("srv\xc3\xa9.corp"),
                                 std::string("srv 01"),
                                 std::string("-srv"),
                                 std::string("srv-"),
                                 std::string("a..b"),
                                 std::string("host\nname"),
                                 std::string("10.0.0.256"),
                                 std::string("010.0.0.1"),
                                 std::string("1.2.3"),
                                 std::string("fe80::1%eth0"),
                                 std::string("[fe80::1"),
                                 std::string("1::2::3"),
                                 std::string("srv_01"),
                                 std::string(""),
                                 std::string("."),
                                 std::string("a'b"),
                                 std::string("a\"b"),
                                 std::string("%00"),
                                 std::string("a\\b")}) {
    EXPECT_FALSE(normalize_host(bad).ok()) << bad;
  }
}

TEST(Host, ErrorMessagesNeverEchoControlCharacters) {
  auto r = normalize_host("bad\x1b[31mhost");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message.find('\x1b'), std::string::npos);
}

TEST(Host, ParsesHostAndPort) {
  auto a = parse_host_port("srv01.corp.example:3389").value();
  EXPECT_EQ(a.host, "srv01.corp.example");
  EXPECT_EQ(a.port, 3389);
  auto b = parse_host_port("[fe80::1]:5589").value();
  EXPECT_EQ(b.host, "fe80::1");
  EXPECT_EQ(b.port, 5589);
  auto c = parse_host_port("fe80::1").value();
  EXPECT_EQ(c.host, "fe80::1");
  EXPECT_FALSE(c.port);
  EXPECT_FALSE(parse_host_port("srv:0").ok());
  EXPECT_FALSE(parse_host_port("srv:65536").ok());
  EXPECT_FALSE(parse_host_port("srv:33a").ok());
  EXPECT_EQ(format_host_port("fe80::1", 3389), "[fe80::1]:3389");
  EXPECT_EQ(format_host_port("srv", 3389), "srv:3389");
}

}  // namespace
}  // namespace negoheal
