// Every real FreeRDP 2.11 log of the lab corpus (../shared/corpus/freerdp-2.11, skipped when
// absent): the NEGO failure is found exactly once in the logs whose xfreerdp exit code was 133
// (XF_EXIT_NEGO_FAILURE), and in none of the others.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "agent/pipeline/ingest.h"
#include "core/timestamp.h"
#include "tests/test_support.h"

namespace negoheal {
namespace {

namespace fs = std::filesystem;

struct Row {
  std::string peer, flags, level, log;
  int exit_code = 0;
};

std::vector<Row> results(const fs::path& dir) {
  std::vector<Row> rows;
  std::ifstream in(dir / "results.tsv");
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream ss(line);
    Row r;
    std::string code;
    std::getline(ss, r.peer, '\t');
    std::getline(ss, r.flags, '\t');
    std::getline(ss, r.level, '\t');
    std::getline(ss, code, '\t');
    std::getline(ss, r.log, '\t');
    r.exit_code = std::stoi(code);
    rows.push_back(r);
  }
  return rows;
}

TEST(FreerdpCorpus, NegoFailureExactlyInTheLogsThatExited133) {
  const auto dir = testing::shared_dir() / "corpus" / "freerdp-2.11";
  if (!fs::exists(dir / "results.tsv")) GTEST_SKIP() << "no corpus at " << dir;
  const auto rows = results(dir);
  ASSERT_FALSE(rows.empty());
  std::size_t checked = 0, failing = 0;
  for (const auto& row : rows) {
    const auto path = dir / row.log;
    if (!fs::exists(path)) continue;  // results.tsv lists runs whose logs were not kept
    SCOPED_TRACE(row.log);
    pipeline::InputOptions o;
    o.patterns = parsers::LinePatterns::compile({}, {}).value();
    o.reference = make_time(2026, 11, 24, std::chrono::hours(12));
    o.local_offset = std::chrono::seconds(0);
    std::vector<Event> failures;
    auto r = pipeline::parse_file(path, o, [&](Event&& e) {
      if (e.is_nego_failure()) failures.push_back(std::move(e));
    });
    ASSERT_TRUE(r.ok()) << r.error().message;
    ++checked;
    if (row.exit_code != 133) {
      EXPECT_TRUE(failures.empty()) << "exit " << row.exit_code << " but found " << failures.size();
      continue;
    }
    ++failing;
    ASSERT_EQ(failures.size(), 1u);
    const Event& e = failures.front();
    EXPECT_EQ(e.code, "ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED");
    EXPECT_NE(e.original.find("[0x0002000C]"), std::string::npos);
    // DEBUG logs name the peer before the failure on the same thread; INFO logs never do.
    if (row.level == "DEBUG") {
      EXPECT_EQ(e.host.value_or("?"), "127.0.0.1");
    } else {
      EXPECT_FALSE(e.host);
    }
    // Windows-style peers say why; xrdp selects RDP instead (no failure code, selected 0).
    if (row.peer == "winemu-rdp") {
      EXPECT_EQ(e.failure_code.value_or("?"), "SSL_NOT_ALLOWED_BY_SERVER");
    } else if (row.peer == "winemu-nla") {
      EXPECT_EQ(e.failure_code.value_or("?"), "HYBRID_REQUIRED_BY_SERVER");
    } else if (row.peer == "winemu-tls") {
      EXPECT_EQ(e.failure_code.value_or("?"), "SSL_REQUIRED_BY_SERVER");
    } else if (row.peer == "rdp" && row.level == "DEBUG") {
      EXPECT_FALSE(e.failure_code);
      EXPECT_EQ(e.selected_protocol.value_or(99), 0u);
    }
  }
  EXPECT_GE(checked, 30u);
  EXPECT_GE(failing, 10u);
}

}  // namespace
}  // namespace negoheal
