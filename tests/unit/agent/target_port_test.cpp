// Which port the diagnosis probes: the proxy's sbpam_rdp.json OverridePort list (DOMAIN §2) and the
// precedence event port > OverridePort > configured default.
#include "agent/diagnose/target_port.h"

#include <gtest/gtest.h>

namespace negoheal::diagnose {
namespace {

std::vector<OverridePort> parse_ok(std::string_view text) {
  auto r = parse_override_ports(text);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : std::vector<OverridePort>{};
}

std::string error_of(std::string_view text) {
  auto r = parse_override_ports(text);
  return r.ok() ? std::string("(no error)") : r.error().message;
}

TEST(OverridePorts, TheDocumentedShapeInFileOrder) {
  const auto list = parse_ok(R"({"listenaddress": "0.0.0.0:4489",
      "OverridePort": ["srv01.corp.example:3390", "*.Example.COM:5589", "10.0.0.5:3391", "[2001:DB8::1]:3392"],
      "startuptimeout": "30s",
      "ClientSettings": [{"key": "RdpSecurity", "Value": true}]})");
  const std::vector<OverridePort> expected{{"srv01.corp.example", 3390, false},
                                           {"*.example.com", 5589, false},
                                           {"10.0.0.5", 3391, true},
                                           {"2001:db8::1", 3392, true}};
  EXPECT_EQ(list, expected);
}

TEST(OverridePorts, BomMissingKeyNullAndKeyCase) {
  EXPECT_EQ(parse_ok("\xEF\xBB\xBF{\"OverridePort\": [\"a.example:1\"]}").size(), 1U);
  EXPECT_TRUE(parse_ok(R"({"listenaddress": "0.0.0.0:4489"})").empty());
  EXPECT_TRUE(parse_ok(R"({"OverridePort": null})").empty());
  EXPECT_TRUE(parse_ok(R"({"OverridePort": []})").empty());
  EXPECT_EQ(parse_ok(R"({"overrideport": ["a.example:2"]})"), (std::vector<OverridePort>{{"a.example", 2, false}}));
  // The exact spelling wins over another casing.
  EXPECT_EQ(parse_ok(R"({"overrideport": ["a.example:2"], "OverridePort": ["b.example:3"]})"),
            (std::vector<OverridePort>{{"b.example", 3, false}}));
}

TEST(OverridePorts, ErrorsNameTheFileThePointerAndTheEntry) {
  EXPECT_NE(error_of("{\"OverridePort\": [").find("sbpam_rdp.json: invalid JSON"), std::string::npos);
  EXPECT_NE(error_of("").find("invalid JSON"), std::string::npos);
  EXPECT_NE(error_of("[1]").find("expected a JSON object"), std::string::npos);
  EXPECT_NE(error_of(R"({"OverridePort": "a:1"})").find("/OverridePort: expected an array"), std::string::npos);
  EXPECT_NE(error_of(R"({"OverridePort": ["a.example:1", 5]})").find("/OverridePort/1: expected"), std::string::npos);
  const auto no_port = error_of(R"({"OverridePort": ["a.example"]})");
  EXPECT_NE(no_port.find("/OverridePort/0: OverridePort entry 'a.example': expected host:port"), std::string::npos)
      << no_port;
  EXPECT_NE(error_of(R"({"OverridePort": ["a.example:0"]})").find("invalid port"), std::string::npos);
  EXPECT_NE(error_of(R"({"OverridePort": ["a.example:70000"]})").find("invalid port"), std::string::npos);
  EXPECT_NE(error_of(R"({"OverridePort": ["a;rm -rf /:3389"]})").find("/OverridePort/0"), std::string::npos);
  EXPECT_NE(error_of(R"({"OverridePort": ["*.exa mple.com:3389"]})").find("invalid character"), std::string::npos);
  EXPECT_NE(error_of(R"({"OverridePort": ["*..example.com:3389"]})").find("empty label"), std::string::npos);
  EXPECT_NE(error_of(R"({"OverridePort": ["*.example.com"]})").find("expected host:port"), std::string::npos);
}

TEST(OverridePorts, GlobMatchingIsCaseInsensitiveOnNamesAndExactOnAddresses) {
  const auto list = parse_ok(R"({"OverridePort": ["*.corp.example:5589", "db?.lab.example:5590", "10.0.0.5:3391",
      "[::1]:3392", "10.0.0.*:3393"]})");
  ASSERT_EQ(list.size(), 5U);
  EXPECT_TRUE(matches(list[0], "srv01.corp.example"));
  EXPECT_TRUE(matches(list[0], "a.b.corp.example"));  // '*' spans dots
  EXPECT_TRUE(matches(list[0], "SRV01.Corp.Example"));
  EXPECT_FALSE(matches(list[0], "corp.example"));
  EXPECT_FALSE(matches(list[0], "srv01.corp.example.evil"));
  EXPECT_TRUE(matches(list[1], "db1.lab.example"));
  EXPECT_FALSE(matches(list[1], "db12.lab.example"));
  EXPECT_TRUE(matches(list[2], "10.0.0.5"));
  EXPECT_FALSE(matches(list[2], "10.0.0.50"));
  EXPECT_TRUE(matches(list[3], "::1"));
  // A glob never matches an IP literal, and an IP pattern never matches a name.
  EXPECT_FALSE(matches(list[4], "10.0.0.7"));
  EXPECT_FALSE(matches(list[2], "10-0-0-5.example"));
}

TEST(ProbePort, TheEventWinsThenTheFirstOverrideThenTheDefault) {
  const auto list = parse_ok(R"({"OverridePort": ["srv01.corp.example:3390", "*.corp.example:5589"]})");
  auto p = probe_port("srv01.corp.example", 4000, list, 3389);
  EXPECT_EQ(p.port, 4000);
  EXPECT_EQ(p.reason, "port from the event");
  p = probe_port("srv01.corp.example", std::nullopt, list, 3389);
  EXPECT_EQ(p.port, 3390);
  EXPECT_EQ(p.reason, "OverridePort srv01.corp.example:3390");
  p = probe_port("srv02.corp.example", std::nullopt, list, 3389);
  EXPECT_EQ(p.port, 5589);
  EXPECT_EQ(p.reason, "OverridePort *.corp.example:5589");
  p = probe_port("srv03.other.example", std::nullopt, list, 3388);
  EXPECT_EQ(p.port, 3388);
  EXPECT_EQ(p.reason, "default port");
  const auto v6 = parse_ok(R"({"OverridePort": ["[2001:db8::1]:3392"]})");
  EXPECT_EQ(probe_port("2001:db8::1", std::nullopt, v6, 3389).reason, "OverridePort [2001:db8::1]:3392");
}

TEST(ProbePort, HostileGlobsStayCheap) {
  // Many stars against a long near-miss: the iterative matcher does not explode.
  auto p = parse_override_port("*a*a*a*a*a*a*a*a*a*a*a*a*b:1");
  ASSERT_TRUE(p.ok());
  EXPECT_FALSE(matches(*p, std::string(200, 'a')));
}

}  // namespace
}  // namespace negoheal::diagnose
