// Attribution: a failure takes the target of the most recent "connecting to peer" of its own
// [pid:tid]; thread ids are reused; without context a failure stays unattributed, never guessed.
#include "parsers/proxy_log.h"

#include <gtest/gtest.h>

#include "core/timestamp.h"

namespace negoheal::parsers {
namespace {

using namespace std::chrono_literals;

const TimeAnchor k_anchor{make_time(2026, 11, 24, 12h), {}};

std::string line(const char* time, const char* thread, const char* level, const std::string& msg) {
  return std::string("[") + time + "] [" + thread + "] [" + level + "][com.freerdp.core] - " + msg + "\n";
}
const std::string k_fail =
    "rdp_client_connect:freerdp_set_last_error_ex ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED [0x0002000C]";

std::vector<Event> parse(const std::string& text, ProxyLogOptions o = {}) {
  if (!o.patterns) o.patterns = LinePatterns::compile({}, {}).value();
  ProxyLogParser p(std::move(o), "test.log");
  std::vector<Event> out;
  p.feed(text, 0, k_anchor, [&](Event&& e) { out.push_back(std::move(e)); });
  return out;
}

TEST(ProxyLog, InterleavedThreadsKeepTheirOwnTargets) {
  std::string log;
  log += line("10:00:00:001", "1:10", "DEBUG", "connecting to peer alpha.example");
  log += line("10:00:00:002", "1:11", "DEBUG", "connecting to peer beta.example");
  log += line("10:00:00:003", "1:12", "DEBUG", "connecting to peer gamma.example");
  log += line("10:00:00:004", "1:11", "ERROR", k_fail);
  log += line("10:00:00:005", "1:10", "ERROR", k_fail);
  const auto ev = parse(log);
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[0].host.value(), "beta.example");
  EXPECT_EQ(ev[1].host.value(), "alpha.example");
  EXPECT_EQ(ev[1].thread.value(), "1:10");
  EXPECT_EQ(ev[1].attribution.value(), "thread-context");
  EXPECT_EQ(format_timestamp(*ev[1].timestamp), "2026-11-24T10:00:00.005Z");
}

TEST(ProxyLog, ReusedThreadTakesTheNewerTarget) {
  std::string log;
  log += line("10:00:00:001", "1:10", "DEBUG", "connecting to peer old.example");
  log += line("10:00:00:002", "1:10", "ERROR", k_fail);
  log += line("10:00:01:001", "1:10", "DEBUG", "connecting to peer new.example");
  log += line("10:00:01:002", "1:10", "ERROR", k_fail);
  const auto ev = parse(log);
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[0].host.value(), "old.example");
  EXPECT_EQ(ev[1].host.value(), "new.example");
}

TEST(ProxyLog, ContextFromAnotherThreadIsNeverUsed) {
  std::string log;
  log += line("10:00:00:001", "1:10", "DEBUG", "connecting to peer alpha.example");
  log += line("10:00:00:002", "1:99", "ERROR", k_fail);
  const auto ev = parse(log);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_FALSE(ev[0].host);
  EXPECT_FALSE(ev[0].attribution);
  EXPECT_EQ(ev[0].thread.value(), "1:99");
}

TEST(ProxyLog, OneAttemptIsOneEventNotFour) {
  std::string log;
  log += line("10:00:00:001", "1:10", "DEBUG", "connecting to peer alpha.example");
  log += line("10:00:00:002", "1:10", "DEBUG", "RequestedProtocols: 3");
  log += line("10:00:00:003", "1:10", "WARN", "Error: SSL_NOT_ALLOWED_BY_SERVER");
  log += line("10:00:00:004", "1:10", "WARN", "Error: SSL_NOT_ALLOWED_BY_SERVER");
  log += line("10:00:00:005", "1:10", "ERROR", "Protocol Security Negotiation Failure");
  log += line("10:00:00:006", "1:10", "ERROR", k_fail);
  log += line("10:00:00:007", "1:10", "ERROR",
              "[freerdp_connect]: 0x0002000C The connection failed at negotiating security settings");
  log += line("10:00:00:008", "1:10", "ERROR", "Error: protocol security negotiation or connection failure");
  ProxyLogOptions o;
  o.patterns = LinePatterns::compile({}, {}).value();
  ProxyLogParser p(o, "t.log");
  std::vector<Event> ev;
  p.feed(log, 0, k_anchor, [&](Event&& e) { ev.push_back(std::move(e)); });
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].failure_code.value(), "SSL_NOT_ALLOWED_BY_SERVER");
  EXPECT_EQ(ev[0].requested_protocols.value(), 3u);
  EXPECT_EQ(p.stats().duplicates_suppressed, 1u);
}

TEST(ProxyLog, ContextSurvivesAFeedBoundary) {
  ProxyLogOptions o;
  o.patterns = LinePatterns::compile({}, {}).value();
  ProxyLogParser p(o, "t.log");
  std::vector<Event> ev;
  const auto a = line("10:00:00:001", "1:10", "DEBUG", "connecting to peer alpha.example");
  const auto b = line("10:00:00:002", "1:10", "ERROR", k_fail);
  p.feed(a, 0, k_anchor, [&](Event&& e) { ev.push_back(std::move(e)); });
  p.feed(b, a.size(), k_anchor, [&](Event&& e) { ev.push_back(std::move(e)); });
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].host.value(), "alpha.example");
  EXPECT_EQ(ev[0].offset.value(), a.size());
}

TEST(ProxyLog, HostileHostsAreRejectedAndCounted) {
  const std::string long_name(300, 'a');
  for (const std::string& bad : {std::string("a;rm -rf /"), std::string("$(id)"), long_name,
                                 std::string("h\xc3\xa9te.example"), std::string("`reboot`")}) {
    std::string log = line("10:00:00:001", "1:10", "DEBUG", "connecting to peer " + bad) +
                      line("10:00:00:002", "1:10", "ERROR", k_fail);
    ProxyLogOptions o;
    o.patterns = LinePatterns::compile({}, {}).value();
    ProxyLogParser p(o, "t.log");
    std::vector<Event> ev;
    p.feed(log, 0, k_anchor, [&](Event&& e) { ev.push_back(std::move(e)); });
    ASSERT_EQ(ev.size(), 1u) << bad;
    EXPECT_FALSE(ev[0].host) << bad;
    EXPECT_EQ(ev[0].attribution.value_or(""), "rejected-host");
    EXPECT_EQ(p.stats().rejected_hosts, 1u);
  }
}

TEST(ProxyLog, ContextStaysBoundedWithManyThreads) {
  ProxyLogOptions o;
  o.patterns = LinePatterns::compile({}, {}).value();
  o.max_contexts = 64;
  ProxyLogParser p(o, "t.log");
  std::string log;
  for (int i = 0; i < 1000; ++i) {
    log += line("10:00:00:001", ("1:" + std::to_string(i)).c_str(), "DEBUG",
                "connecting to peer h" + std::to_string(i) + ".example");
  }
  log += line("10:00:00:002", "1:999", "ERROR", k_fail);
  std::vector<Event> ev;
  p.feed(log, 0, k_anchor, [&](Event&& e) { ev.push_back(std::move(e)); });
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].host.value(), "h999.example");  // the most recent survive eviction
}

TEST(ProxyLog, ConfiguredContextPatternAttributes) {
  ProxyLogOptions o;
  o.patterns = LinePatterns::compile({}, {R"(^Dialing (?P<host>\S+) port (?P<port>\d+))"}).value();
  std::string log = line("10:00:00:001", "1:10", "INFO", "Dialing srv9.example port 5589") +
                    line("10:00:00:002", "1:10", "ERROR", k_fail);
  const auto ev = parse(log, o);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].host.value(), "srv9.example");
  EXPECT_EQ(ev[0].port.value(), 5589);
}

TEST(ProxyLog, TimeOfDayAfterTheAnchorBelongsToTheDayBefore) {
  const auto ev = parse(line("23:30:00:000", "1:10", "ERROR", k_fail));
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(format_timestamp(*ev[0].timestamp), "2026-11-23T23:30:00.000Z");
}

TEST(LinePatterns, ReportsBadPatternsWithTheirIndex) {
  auto a = LinePatterns::compile({"(?P<host>ok)", "(unclosed"}, {});
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.error().message.find("line_formats[1]"), std::string::npos);
  auto b = LinePatterns::compile({"(?P<nope>x)"}, {});
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.error().message.find("unknown named group 'nope'"), std::string::npos);
  auto c = LinePatterns::compile({}, {"no host group"});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("context_patterns[0]"), std::string::npos);
}

}  // namespace
}  // namespace negoheal::parsers
