// `negoheal probe` through the real binary (ARCHITECTURE §4.1 exit codes, §4.3 JSON).
#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "tests/test_support.h"
#include "tests/unit/probe/fake_responder.h"

namespace negoheal::probe {
namespace {

using negoheal::testing::read_file;
using negoheal::testing::Run;
using negoheal::testing::TempDir;
using testing::Action;
using testing::confirm;
using testing::FakeResponder;

Run run(const TempDir& dir, const std::string& args) {
  return negoheal::testing::run_negoheal(dir.path(), args);
}

Action windows_rdp_only(std::optional<std::uint32_t> r) {
  return {Action::Kind::send, r == 0U ? confirm(2, 0, 0) : confirm(3, 0, 2)};
}

TEST(CliProbe, JsonAgainstAnRdpOnlyPeer) {
  FakeResponder peer(windows_rdp_only);
  TempDir dir;
  const auto r = run(dir, "probe 127.0.0.1:" + std::to_string(peer.port()) + " --timeout 2s --json");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["posture"], "rdp-only");
  EXPECT_EQ(j["explains_nego_failure"], true);
  EXPECT_EQ(j["answers"][0]["name"], "SSL_NOT_ALLOWED_BY_SERVER");
  EXPECT_EQ(r.out.rfind("{\"target\":", 0), 0U) << r.out;
}

TEST(CliProbe, HumanOutput) {
  FakeResponder peer(windows_rdp_only);
  TempDir dir;
  const auto r = run(dir, "probe 127.0.0.1:" + std::to_string(peer.port()));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("posture:  rdp-only"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("explains ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED: yes"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("failure 2 SSL_NOT_ALLOWED_BY_SERVER"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("raw: 030000130ed0"), std::string::npos) << r.out;
}

TEST(CliProbe, AnUnreachableTargetStillExitsZero) {
  TempDir dir;
  const auto r = run(dir, "probe 127.0.0.1:" + std::to_string(testing::unused_port()) + " --timeout 500ms --json");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["posture"], "unreachable");
}

TEST(CliProbe, ExitCodes) {
  TempDir dir;
  EXPECT_EQ(run(dir, "probe --help").code, 0);
  EXPECT_EQ(run(dir, "probe").code, 2);
  EXPECT_EQ(run(dir, "probe a b").code, 2);
  EXPECT_EQ(run(dir, "probe 127.0.0.1 --timeout 5").code, 2);  // a bare number has no unit
  EXPECT_EQ(run(dir, "probe 127.0.0.1 --timeout 0s").code, 2);
  EXPECT_EQ(run(dir, "probe 127.0.0.1 --bogus").code, 2);
  EXPECT_EQ(run(dir, "probe \"bad host!\"").code, 1);  // double quotes: sh and cmd agree
  EXPECT_EQ(run(dir, "probe 127.0.0.1:0").code, 1);
  EXPECT_EQ(run(dir, "probe 127.0.0.1:99999").code, 1);
}

}  // namespace
}  // namespace negoheal::probe
