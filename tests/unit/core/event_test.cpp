#include "core/event.h"

#include <gtest/gtest.h>

#include "core/timestamp.h"

namespace negoheal {
namespace {

using namespace std::chrono_literals;

Event sample() {
  Event e;
  e.timestamp = make_time(2026, 11, 24, 10h + 1s + 761ms);
  e.code = std::string(k_nego_failure_code);
  e.outcome = "failure";
  e.provider = "freerdp";
  e.original = "[10:00:01:761] [24391:24401] [ERROR][com.freerdp.core] - x";
  e.host = "srv01.corp.example";
  e.port = 3389;
  e.user = "CORP\\alice";
  e.failure_code = "SSL_NOT_ALLOWED_BY_SERVER";
  e.requested_protocols = 3;
  e.thread = "24391:24401";
  e.file_path = "/var/log/nps/PAM-Proxy-20261124.log";
  e.offset = 123456;
  return e;
}

TEST(Event, JsonFollowsTheContract) {
  EXPECT_EQ(to_json_line(sample()),
            R"({"@timestamp":"2026-11-24T10:00:01.761Z","event":{"code":"ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED",)"
            R"("kind":"event","outcome":"failure","provider":"freerdp","original":"[10:00:01:761] [24391:24401] )"
            R"([ERROR][com.freerdp.core] - x"},"destination":{"address":"srv01.corp.example","port":3389},)"
            R"("user":{"name":"CORP\\alice"},"negoheal":{"failure_code":"SSL_NOT_ALLOWED_BY_SERVER",)"
            R"("requested_protocols":3,"thread":"24391:24401"},"log":{"file":{"path":)"
            R"("/var/log/nps/PAM-Proxy-20261124.log"},"offset":123456}})");
}

TEST(Event, UnknownFieldsAreOmittedNotInvented) {
  Event e;
  e.code = "X";
  e.original = "line";
  EXPECT_EQ(to_json_line(e), R"({"event":{"code":"X","kind":"event","original":"line"}})");
}

TEST(Event, RoundTripsThroughJson) {
  const Event e = sample();
  auto back = event_from_json(to_json_line(e));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back.value(), e);
}

TEST(Event, InvalidUtf8IsReplacedNotFatal) {
  Event e;
  e.code = "X";
  e.original = "bad \xff\xfe bytes";
  const auto json = to_json_line(e);
  EXPECT_NE(json.find("bad "), std::string::npos);
  EXPECT_TRUE(event_from_json(json).ok());
}

TEST(Event, RejectsBadInputWithThePointer) {
  EXPECT_FALSE(event_from_json("not json").ok());
  EXPECT_FALSE(event_from_json("[1,2]").ok());
  auto bad_host = event_from_json(R"({"destination":{"address":"a;rm -rf /"}})");
  ASSERT_FALSE(bad_host.ok());
  EXPECT_NE(bad_host.error().message.find("/destination/address"), std::string::npos);
  auto bad_port = event_from_json(R"({"destination":{"port":70000}})");
  ASSERT_FALSE(bad_port.ok());
  EXPECT_NE(bad_port.error().message.find("/destination/port"), std::string::npos);
  EXPECT_FALSE(event_from_json(R"({"@timestamp":"soon"})").ok());
}

}  // namespace
}  // namespace negoheal
