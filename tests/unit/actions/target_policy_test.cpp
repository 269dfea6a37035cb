#include "actions/remediation/target_policy.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/host.h"

namespace negoheal::actions {
namespace {

TargetPolicy compiled(const std::vector<std::string>& allow, const std::vector<std::string>& deny = {}) {
  auto p = TargetPolicy::compile(allow, deny);
  EXPECT_TRUE(p.ok()) << p.error().message;
  return p.ok() ? std::move(*p) : TargetPolicy{};
}

std::string compile_error(const std::vector<std::string>& allow, const std::vector<std::string>& deny = {}) {
  auto p = TargetPolicy::compile(allow, deny);
  return p.ok() ? std::string("(compiled)") : p.error().message;
}

bool allowed(const TargetPolicy& p, const std::string& host) {
  return p.decide(host).allowed;
}

TEST(TargetPolicy, EmptyAllowListAllowsNothing) {
  const auto p = compiled({}, {"dc01.corp.example"});
  for (const char* host : {"rds01.corp.example", "10.0.0.1", "fd00::1", "localhost"}) {
    const auto d = p.decide(host);
    EXPECT_FALSE(d.allowed) << host;
    EXPECT_NE(d.reason.find("allow list is empty"), std::string::npos) << d.reason;
  }
}

TEST(TargetPolicy, LeadingStarLabelCoversAnyDepthButNotTheDomainItself) {
  const auto p = compiled({"*.corp.example"});
  EXPECT_TRUE(allowed(p, "rds01.corp.example"));
  EXPECT_TRUE(allowed(p, "a.b.corp.example"));
  EXPECT_FALSE(allowed(p, "corp.example"));
  EXPECT_FALSE(allowed(p, "xcorp.example"));
  EXPECT_FALSE(allowed(p, "rds01.corp.example.evil"));
  EXPECT_FALSE(allowed(p, "rds01.corp.examplex"));
  EXPECT_FALSE(allowed(p, "rds01"));
  const auto d = p.decide("rds01.corp.example");
  EXPECT_EQ(d.reason, "allowed by allow[0] '*.corp.example'");
}

TEST(TargetPolicy, StarInsideALabelNeverCrossesADot) {
  const auto p = compiled({"rds-*.corp.example", "a*b*c", "corp.*"});
  EXPECT_TRUE(allowed(p, "rds-01.corp.example"));
  EXPECT_TRUE(allowed(p, "rds-x-y.corp.example"));
  EXPECT_FALSE(allowed(p, "rds.corp.example"));
  EXPECT_FALSE(allowed(p, "rds-01.emea.corp.example"));
  EXPECT_FALSE(allowed(p, "web-rds-01.corp.example"));
  EXPECT_TRUE(allowed(p, "abc"));
  EXPECT_TRUE(allowed(p, "axxbyyc"));
  EXPECT_FALSE(allowed(p, "axxc"));
  EXPECT_FALSE(allowed(p, "ab.c"));
  EXPECT_TRUE(allowed(p, "corp.lan"));
  EXPECT_FALSE(allowed(p, "corp.lan.example"));
}

TEST(TargetPolicy, GlobsAndNamesAreCaseInsensitiveAndIgnoreATrailingDot) {
  const auto p = compiled({"*.CORP.Example.", "RDS01.Lab.Example."});
  EXPECT_TRUE(allowed(p, "rds01.corp.example"));
  EXPECT_TRUE(allowed(p, "rds01.lab.example"));
  EXPECT_FALSE(allowed(p, "rds02.lab.example"));
}

TEST(TargetPolicy, ExactNamesMatchOnlyThemselvesWithoutDns) {
  const auto p = compiled({"rds01.corp.example", "rds02"});
  EXPECT_TRUE(allowed(p, "rds01.corp.example"));
  EXPECT_FALSE(allowed(p, "rds01"));
  EXPECT_TRUE(allowed(p, "rds02"));
  EXPECT_FALSE(allowed(p, "rds02.corp.example"));
}

TEST(TargetPolicy, StarAloneIsEveryTarget) {
  const auto p = compiled({"*"});
  for (const char* host : {"rds01", "a.b.c", "10.0.0.1", "fd00::1", "::"}) {
    EXPECT_TRUE(allowed(p, host)) << host;
  }
  const auto q = compiled({"*.*"});
  EXPECT_TRUE(allowed(q, "a.b"));
  EXPECT_FALSE(allowed(q, "a"));
  EXPECT_FALSE(allowed(q, "10.0.0.1"));
}

TEST(TargetPolicy, Ipv4CidrEdges) {
  const auto zero = compiled({"0.0.0.0/0"});
  EXPECT_TRUE(allowed(zero, "0.0.0.0"));
  EXPECT_TRUE(allowed(zero, "255.255.255.255"));
  EXPECT_FALSE(allowed(zero, "fd00::1"));
  EXPECT_FALSE(allowed(zero, "rds01.corp.example"));

  const auto host32 = compiled({"10.1.2.3/32"});
  EXPECT_TRUE(allowed(host32, "10.1.2.3"));
  EXPECT_FALSE(allowed(host32, "10.1.2.2"));
  EXPECT_FALSE(allowed(host32, "10.1.2.4"));

  const auto odd = compiled({"10.0.0.0/9", "192.168.1.2/31"});
  EXPECT_TRUE(allowed(odd, "10.0.0.0"));
  EXPECT_TRUE(allowed(odd, "10.127.255.255"));
  EXPECT_FALSE(allowed(odd, "10.128.0.0"));
  EXPECT_FALSE(allowed(odd, "9.255.255.255"));
  EXPECT_TRUE(allowed(odd, "192.168.1.2"));
  EXPECT_TRUE(allowed(odd, "192.168.1.3"));
  EXPECT_FALSE(allowed(odd, "192.168.1.4"));
  EXPECT_FALSE(allowed(odd, "192.168.1.1"));

  const auto eight = compiled({"10.0.0.0/8"});
  EXPECT_TRUE(allowed(eight, "10.255.255.255"));
  EXPECT_FALSE(allowed(eight, "11.0.0.0"));
}

TEST(TargetPolicy, Ipv6CidrEdges) {
  const auto zero = compiled({"::/0"});
  EXPECT_TRUE(allowed(zero, "::"));
  EXPECT_TRUE(allowed(zero, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
  EXPECT_FALSE(allowed(zero, "10.0.0.1"));
  EXPECT_FALSE(allowed(zero, "rds01"));

  const auto one = compiled({"fd00::1/128"});
  EXPECT_TRUE(allowed(one, "fd00::1"));
  EXPECT_FALSE(allowed(one, "fd00::2"));
  EXPECT_FALSE(allowed(one, "fd00::"));

  const auto ula = compiled({"fc00::/7", "fd00::/8"});
  EXPECT_TRUE(allowed(ula, "fc00::1"));
  EXPECT_TRUE(allowed(ula, "fdff:ffff::1"));
  EXPECT_FALSE(allowed(ula, "fe80::1"));
  EXPECT_FALSE(allowed(ula, "fb00::1"));

  const auto nibble = compiled({"2001:db8:abcd:12::/63"});
  EXPECT_TRUE(allowed(nibble, "2001:db8:abcd:12::1"));
  EXPECT_TRUE(allowed(nibble, "2001:db8:abcd:13:ffff::1"));
  EXPECT_FALSE(allowed(nibble, "2001:db8:abcd:14::1"));
}

TEST(TargetPolicy, SingleAddressesAreNormalizedLikeHosts) {
  const auto p = compiled({"10.1.2.3", "FD00:0000::0001", "[fd00::2]"});
  EXPECT_TRUE(allowed(p, "10.1.2.3"));
  EXPECT_FALSE(allowed(p, "10.1.2.4"));
  EXPECT_TRUE(allowed(p, "fd00::1"));
  EXPECT_TRUE(allowed(p, "fd00::2"));
  EXPECT_FALSE(allowed(p, "fd00::3"));
}

TEST(TargetPolicy, Ipv4MappedHostsArriveAsIpv4AndMatchIpv4Entries) {
  const auto p = compiled({"10.0.0.0/8"});
  auto host = normalize_host("::ffff:10.1.2.3");
  ASSERT_TRUE(host.ok());
  EXPECT_TRUE(allowed(p, *host));
}

TEST(TargetPolicy, NamesNeverMatchCidrsAndAddressesNeverMatchGlobs) {
  const auto cidr = compiled({"10.0.0.0/8", "::/0"});
  EXPECT_FALSE(allowed(cidr, "rds01.corp.example"));
  EXPECT_FALSE(allowed(cidr, "10.example"));
  const auto glob = compiled({"*.corp.example", "*.*"});
  EXPECT_FALSE(allowed(glob, "10.0.0.1"));
  EXPECT_FALSE(allowed(glob, "fd00::1"));
}

TEST(TargetPolicy, DenyWinsOverAllow) {
  const auto p = compiled({"*.corp.example", "10.0.0.0/8", "fd00::/8"}, {"dc*.corp.example", "10.0.0.5", "fd00::/64"});
  EXPECT_TRUE(allowed(p, "rds01.corp.example"));
  const auto dc = p.decide("dc01.corp.example");
  EXPECT_FALSE(dc.allowed);
  EXPECT_EQ(dc.reason, "denied by deny[0] 'dc*.corp.example'");
  EXPECT_FALSE(allowed(p, "10.0.0.5"));
  EXPECT_TRUE(allowed(p, "10.0.0.6"));
  EXPECT_FALSE(allowed(p, "fd00::1"));
  EXPECT_TRUE(allowed(p, "fd00:0:0:1::1"));

  const auto all = compiled({"*"}, {"*"});
  EXPECT_FALSE(allowed(all, "rds01.corp.example"));
  EXPECT_FALSE(allowed(all, "10.0.0.1"));
}

TEST(TargetPolicy, UnmatchedHostIsRefusedWithAReason) {
  const auto d = compiled({"*.corp.example"}).decide("rds01.other.example");
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.reason, "not matched by any allow entry");
}

TEST(TargetPolicy, InvalidOrNonNormalizedHostsAreRefusedEvenByStar) {
  const auto p = compiled({"*"});
  for (const char* host :
       {"", "RDS01.corp.example", "rds01.corp.example.", "[fd00::1]", "FD00::1", "a;rm -rf /", "$(id)", "`id`",
        "-oProxyCommand=x", "a b", "a\nb", "fe80::1%eth0", "::ffff:10.0.0.1", "010.0.0.1", "caf\xc3\xa9.example"}) {
    EXPECT_FALSE(allowed(p, host)) << host;
  }
  EXPECT_FALSE(allowed(p, std::string(300, 'a')));
  EXPECT_FALSE(allowed(p, std::string("rds01\0.evil", 11)));
}

TEST(TargetPolicy, BadEntriesAreErrorsNamingListAndIndex) {
  struct Case {
    const char* entry;
    const char* says;
  };
  const Case cases[] = {
      {"10.0.0.1/8", "host bits set"},
      {"fd00::/7", "host bits set"},
      {"10.0.0.0/33", "exceeds /32"},
      {"fd00::/129", "exceeds /128"},
      {"10.0.0.0/", "not a number"},
      {"10.0.0.0/08", "not a number"},
      {"10.0.0.0/+8", "not a number"},
      {"10.0.0.0/8/8", "not a number"},
      {"rds01.corp.example/24", "not an IP address"},
      {"::ffff:10.0.0.0/104", "IPv4-mapped"},
      {"fe80::1%eth0/64", "invalid host"},
      {"10.0.0.*", "write a CIDR"},
      {"*.10.0.0", "write a CIDR"},
      {"", "empty"},
      {"a b", "invalid host"},
      {"*.corp..example", "not a host name pattern"},
      {"*.-corp.example", "not a host name pattern"},
      {"*.caf\xc3\xa9.example", "not a host name pattern"},
      {"$(id).example", "invalid host"},
      {"*;rm", "not a host name pattern"},
      {"10.0.0.256", "invalid host"},
  };
  for (const auto& c : cases) {
    const auto allow_error = compile_error({"*.ok.example", c.entry});
    EXPECT_EQ(allow_error.rfind("allow[1] '", 0), 0U) << c.entry << " -> " << allow_error;
    EXPECT_NE(allow_error.find(c.says), std::string::npos) << c.entry << " -> " << allow_error;
    const auto deny_error = compile_error({"*"}, {c.entry});
    EXPECT_EQ(deny_error.rfind("deny[0] '", 0), 0U) << c.entry << " -> " << deny_error;
  }
}

TEST(TargetPolicy, EntriesShownInMessagesStayOnOneLine) {
  const auto e = compile_error({"bad\nentry"});
  EXPECT_EQ(e.find('\n'), std::string::npos) << e;
}

}  // namespace
}  // namespace negoheal::actions
