// The real binary, driven through its CLI contract (ARCHITECTURE §4.1), on files it writes.
#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "tests/test_support.h"

namespace negoheal {
namespace {

using testing::read_file;
using testing::Run;
using testing::TempDir;
using testing::write_file;

Run run(const TempDir& dir, const std::string& args) {
  return testing::run_negoheal(dir.path(), args);
}

std::string wlog(const char* time, const char* thread, const std::string& msg) {
  return std::string("[") + time + "] [" + thread + "] [ERROR][com.freerdp.core] - " + msg + "\n";
}

TEST(Cli, HelpForEveryCommandAndUsageErrors) {
  TempDir dir;
  for (const char* cmd : {"parse", "replay", "events", "timeline", "check-config", "demo"}) {
    const auto r = run(dir, std::string(cmd) + " --help");
    EXPECT_EQ(r.code, 0) << cmd;
    EXPECT_NE(r.out.find("usage: negoheal"), std::string::npos) << cmd;
  }
  EXPECT_EQ(run(dir, "--help").code, 0);
  EXPECT_EQ(run(dir, "").code, 2);
  EXPECT_EQ(run(dir, "frobnicate").code, 2);
  EXPECT_EQ(run(dir, "parse --no-such-option x").code, 2);
  EXPECT_EQ(run(dir, "parse").code, 2);
  EXPECT_EQ(run(dir, "parse --format bogus x").code, 2);
  EXPECT_EQ(run(dir, "timeline --db x --format pdf").code, 2);
}

TEST(Cli, ParseReplayEventsTimeline) {
  TempDir dir;
  const auto log = dir / "PAM-Proxy-20261124.log";
  write_file(log, wlog("10:00:00:001", "1:2", "connecting to peer srv01.corp.example") +
                      wlog("10:00:00:002", "1:2",
                           "rdp_client_connect:freerdp_set_last_error_ex "
                           "ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED [0x0002000C]") +
                      wlog("10:00:01:002", "1:3", "ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED [0x0002000C]"));
  const auto parsed = run(dir, "parse --date 2026-11-24 \"" + log.string() + "\"");
  ASSERT_EQ(parsed.code, 0) << parsed.err;
  const auto first = nlohmann::json::parse(parsed.out.substr(0, parsed.out.find('\n')));
  EXPECT_EQ(first["destination"]["address"], "srv01.corp.example");
  EXPECT_EQ(first["@timestamp"], "2026-11-24T10:00:00.002Z");

  const auto db = (dir / "n.db").string();
  auto r1 = run(dir, "replay --date 2026-11-24 --db \"" + db + "\" \"" + log.string() + "\"");
  ASSERT_EQ(r1.code, 0) << r1.err;
  EXPECT_NE(r1.out.find("2 new"), std::string::npos) << r1.out;
  EXPECT_NE(r1.out.find("2 incident(s) opened"), std::string::npos) << r1.out;
  auto r2 = run(dir, "replay --date 2026-11-24 --db \"" + db + "\" \"" + log.string() + "\"");
  ASSERT_EQ(r2.code, 0);
  EXPECT_NE(r2.out.find("0 new, 2 already stored"), std::string::npos) << r2.out;

  const auto events = run(dir, "events --db \"" + db + "\" --host SRV01.corp.example");
  ASSERT_EQ(events.code, 0);
  EXPECT_EQ(std::count(events.out.begin(), events.out.end(), '\n'), 1);
  EXPECT_EQ(events.out.substr(0, events.out.find('\n')), parsed.out.substr(0, parsed.out.find('\n')));

  const auto unattributed = run(dir, "events --db \"" + db + "\" --host unattributed");
  EXPECT_EQ(std::count(unattributed.out.begin(), unattributed.out.end(), '\n'), 1);

  const auto table = run(dir, "timeline --db \"" + db + "\"");
  ASSERT_EQ(table.code, 0);
  EXPECT_NE(table.out.find("srv01.corp.example"), std::string::npos);
  EXPECT_NE(table.out.find("(unattributed)"), std::string::npos);
  const auto jsonl = run(dir, "timeline --db \"" + db + "\" --format jsonl --host srv01.corp.example");
  ASSERT_EQ(jsonl.code, 0);
  EXPECT_EQ(std::count(jsonl.out.begin(), jsonl.out.end(), '\n'), 2);  // the failure and "detected"
  const auto csv = run(dir, "timeline --db \"" + db + "\" --format csv");
  EXPECT_EQ(csv.out.rfind("time,incident,target,kind", 0), 0u);

  EXPECT_EQ(run(dir, "events --db \"" + (dir / "missing.db").string() + "\"").code, 1);
  EXPECT_EQ(run(dir, "events --db \"" + db + "\" --host 'a;b'").code, 2);
}

TEST(Cli, CheckConfigReportsEveryError) {
  TempDir dir;
  const auto bad = dir / "bad.json";
  write_file(bad, R"({"correlation": {"window": "x"}, "nope": 1})");
  const auto r = run(dir, "check-config \"" + bad.string() + "\"");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("/correlation/window"), std::string::npos);
  EXPECT_NE(r.err.find("/nope: unknown key"), std::string::npos);
  const auto good = dir / "good.json";
  write_file(good, R"({"correlation": {"threshold": 2}})");
  EXPECT_EQ(run(dir, "check-config \"" + good.string() + "\"").code, 0);
  const auto schema = run(dir, "check-config --schema");
  EXPECT_EQ(schema.code, 0);
  EXPECT_TRUE(nlohmann::json::parse(schema.out).contains("properties"));
}

TEST(Cli, DemoPrintsIncidentsAndTimeline) {
  TempDir dir;
  const auto r = run(dir, "demo --dir \"" + (dir / "demo").string() + "\"");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("INCIDENTS"), std::string::npos);
  EXPECT_NE(r.out.find("TIMELINE"), std::string::npos);
  EXPECT_NE(r.out.find("srv-legacy01.corp.example"), std::string::npos);
  EXPECT_NE(r.out.find("(unattributed)"), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(dir / "demo" / "negoheal.db"));
}

}  // namespace
}  // namespace negoheal
