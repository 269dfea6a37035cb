// `negoheal run` as a user runs it: the real binary following real files on disk while they are
// written, rotated, truncated and replaced, and stopped, restarted and killed in between. Every
// line must end up in the store exactly once.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <fstream>
#include <random>
#include <regex>
#include <set>

#include "tests/integration/agent_process.h"
#include "tests/test_support.h"

namespace negoheal {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::AgentProcess;
using testing::count;
using testing::query;
using testing::read_file;
using testing::TempDir;
using testing::write_file;

std::string failure_line(int seq) {
  return "2026-11-25T10:00:00.000Z ERROR Session " + std::to_string(seq) + " to h" + std::to_string(seq) +
         ".corp.example:3389 failed: ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED [0x0002000C] seq=" + std::to_string(seq) +
         "\n";
}

void append(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary | std::ios::app);
  out << text;
}

class RunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(logs_);
    write_config("");
  }

  void write_config(const std::string& extra) {
    write_file(config_, R"({"sources":[{"type":"file","paths":[")" + (logs_ / "PAM-Proxy*.log").string() +
                            R"("],"poll_interval":"100ms","rotate_wait":"200ms"}],)"
                            R"("store":{"path":")" +
                            db_.string() + R"("},"probe":{"enabled":false},"http":{"listen":"127.0.0.1:0"})" + extra +
                            "}");
  }

  std::size_t stored() const { return count(db_, "SELECT COUNT(*) FROM events"); }
  bool is_stored(int seq) const {
    return count(db_, "SELECT COUNT(*) FROM events WHERE host='h" + std::to_string(seq) + ".corp.example'") > 0;
  }

  // Every seq in [0, n) stored exactly once, nothing else.
  void expect_exactly_once(int n) const {
    const auto rows = query(db_, "SELECT host, COUNT(*) FROM events GROUP BY host");
    std::map<std::string, int> by_host;
    for (const auto& r : rows)
      by_host[r[0]] = std::stoi(r[1]);
    int missing = 0, doubled = 0;
    for (int i = 0; i < n; ++i) {
      const auto it = by_host.find("h" + std::to_string(i) + ".corp.example");
      if (it == by_host.end()) {
        ++missing;
      } else if (it->second != 1) {
        ++doubled;
      }
    }
    EXPECT_EQ(missing, 0) << "lines never stored";
    EXPECT_EQ(doubled, 0) << "lines stored twice";
    EXPECT_EQ(by_host.size(), static_cast<std::size_t>(n));
  }

  bool wait_stored(std::size_t n, std::chrono::milliseconds deadline = 30s) const {
    return wait_until([&] { return stored() >= n; }, deadline);
  }

  std::string log_text() const { return read_file(log_); }
  bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds deadline) const {
    return testing::wait_until(dir_.path(), done, deadline);
  }

  TempDir dir_;
  fs::path logs_ = dir_.path() / "logs";
  fs::path live_ = logs_ / "PAM-Proxy.log";
  fs::path db_ = dir_.path() / "agent.db";
  fs::path config_ = dir_.path() / "negoheal.json";
  fs::path log_ = dir_.path() / "agent.log";
};

TEST_F(RunTest, RenameRotationDuringABurst) {
  AgentProcess agent(config_, log_);
  constexpr int k_lines = 3000;
  int first_of_file = 0;
  for (int i = 0; i < k_lines; ++i) {
    if (i > 0 && i % 500 == 0) {
      // rename + create, the way size-based retention rotates: the old file leaves the glob with
      // most of its lines unread. (The agent must have seen a file once to drain it: a file
      // created and rotated away between two looks is invisible to any tailer.)
      ASSERT_TRUE(wait_until([&] { return is_stored(first_of_file); }, 10s)) << log_text();
      fs::rename(live_, logs_ / ("PAM-Proxy.log." + std::to_string(i / 500)));
      first_of_file = i;
    }
    append(live_, failure_line(i));
  }
  ASSERT_TRUE(wait_stored(k_lines)) << stored() << " of " << k_lines << "\n" << log_text();
  EXPECT_EQ(agent.terminate(), 0) << log_text();
  expect_exactly_once(k_lines);
  EXPECT_EQ(count(db_, "SELECT COUNT(*) FROM incidents"), static_cast<std::size_t>(k_lines));
}

TEST_F(RunTest, RotatedFilesMatchingTheGlobAreNotReadTwice) {
  AgentProcess agent(config_, log_);
  for (int i = 0; i < 400; ++i) {
    if (i > 0 && i % 100 == 0)
      fs::rename(live_, logs_ / ("PAM-Proxy-2026112" + std::to_string(i / 100) + ".log"));  // still matches
    append(live_, failure_line(i));
  }
  ASSERT_TRUE(wait_stored(400)) << log_text();
  EXPECT_EQ(agent.terminate(), 0);
  expect_exactly_once(400);
}

TEST_F(RunTest, CopytruncateRestartsAtTheStart) {
  AgentProcess agent(config_, log_);
  for (int i = 0; i < 100; ++i)
    append(live_, failure_line(i));
  ASSERT_TRUE(wait_stored(100)) << log_text();
  fs::copy_file(live_, logs_ / "PAM-Proxy.log.1");
  fs::resize_file(live_, 0);
  for (int i = 100; i < 150; ++i)
    append(live_, failure_line(i));
  ASSERT_TRUE(wait_stored(150)) << log_text();
  EXPECT_EQ(agent.terminate(), 0);
  expect_exactly_once(150);
  EXPECT_NE(log_text().find("truncated"), std::string::npos) << log_text();
}

TEST_F(RunTest, DeleteAndRecreate) {
  AgentProcess agent(config_, log_);
  for (int i = 0; i < 100; ++i)
    append(live_, failure_line(i));
  ASSERT_TRUE(wait_stored(100)) << log_text();
  fs::remove(live_);
  for (int i = 100; i < 200; ++i)
    append(live_, failure_line(i));
  ASSERT_TRUE(wait_stored(200)) << log_text();
  EXPECT_EQ(agent.terminate(), 0);
  expect_exactly_once(200);
}

TEST_F(RunTest, PartialLineWaitsForItsNewline) {
  AgentProcess agent(config_, log_);
  const std::string second = failure_line(1);
  const auto half = second.size() / 2;
  append(live_, failure_line(0) + second.substr(0, half));
  ASSERT_TRUE(wait_stored(1)) << log_text();
  // Both were in the file when the first was read: the half line was seen and held back.
  EXPECT_EQ(stored(), 1u);
  append(live_, second.substr(half));
  ASSERT_TRUE(wait_stored(2)) << log_text();
  EXPECT_EQ(agent.terminate(), 0);
  const auto rows = query(db_, "SELECT json FROM events WHERE host='h1.corp.example'");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_NE(rows[0][0].find("seq=1\""), std::string::npos) << rows[0][0];
  expect_exactly_once(2);
}

TEST_F(RunTest, RestartResumesAndReadsWhatWasWrittenWhileDown) {
  {
    AgentProcess agent(config_, log_);
    for (int i = 0; i < 100; ++i)
      append(live_, failure_line(i));
    ASSERT_TRUE(wait_stored(100)) << log_text();
    ASSERT_EQ(agent.terminate(), 0) << log_text();
  }
  // While the agent is down: more lines, a rotation, and a partial line in the new file.
  for (int i = 100; i < 150; ++i)
    append(live_, failure_line(i));
  fs::rename(live_, logs_ / "PAM-Proxy.log.1");
  for (int i = 150; i < 200; ++i)
    append(live_, failure_line(i));
  const std::string last = failure_line(200);
  append(live_, last.substr(0, 20));
  {
    AgentProcess agent(config_, log_);
    ASSERT_TRUE(wait_stored(200)) << stored() << "\n" << log_text();
    append(live_, last.substr(20));
    ASSERT_TRUE(wait_stored(201)) << log_text();
    EXPECT_EQ(agent.terminate(), 0);
  }
  expect_exactly_once(201);
  EXPECT_NE(log_text().find("resuming at byte"), std::string::npos);
}

TEST_F(RunTest, Utf16LittleEndianFile) {
  std::string bytes = "\xFF\xFE";
  for (int i = 0; i < 20; ++i) {
    for (char c : failure_line(i)) {
      bytes.push_back(c);
      bytes.push_back('\0');
    }
  }
  write_file(live_, bytes);
  AgentProcess agent(config_, log_);
  ASSERT_TRUE(wait_stored(20)) << log_text();
  EXPECT_EQ(agent.terminate(), 0);
  expect_exactly_once(20);
  // Offsets are byte offsets in the UTF-16 file: the second line starts after BOM + one line.
  const auto rows = query(db_, "SELECT offset FROM events WHERE host='h1.corp.example'");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], std::to_string(2 + 2 * failure_line(0).size()));
}

TEST_F(RunTest, LongLineIsCutAndCountedNotFatal) {
  write_config(R"(,"log":{"level":"info"})");
  AgentProcess agent(config_, log_);
  append(live_, std::string(200000, 'x') + "\n" + failure_line(0));
  ASSERT_TRUE(wait_stored(1)) << log_text();
  EXPECT_EQ(agent.terminate(), 0);
  expect_exactly_once(1);
}

// Kills the agent with SIGKILL at random moments while lines are written and files rotated;
// afterwards every line is in the store exactly once. bench/crash_test.sh runs the large version.
TEST_F(RunTest, SigkillAtRandomMomentsLosesAndDoublesNothing) {
  std::mt19937 rng(20261125);
  int seq = 0;
  int rotations = 0;
  int first_of_file = 0;
  for (int round = 0; round < 8; ++round) {
    AgentProcess agent(config_, log_);
    const int lines = 100 + static_cast<int>(rng() % 400);
    const int kill_at = static_cast<int>(rng() % static_cast<unsigned>(lines));
    for (int i = 0; i < lines; ++i, ++seq) {
      if (i == kill_at) {
        // Let the agent get part of the way (it may be mid-read, mid-commit or idle), then kill.
        const auto target = static_cast<std::size_t>(seq) * (rng() % 100) / 100;
        wait_until([&] { return stored() >= target; }, 3s);
        agent.kill_now();
      }
      // Rotate (also while the agent is dead) once the agent has seen the file: it has a
      // checkpoint then, and a rotated file is found again by its identity.
      if (rng() % 50 == 0 && seq > first_of_file && is_stored(first_of_file)) {
        fs::rename(live_, logs_ / ("PAM-Proxy.log." + std::to_string(++rotations)));
        first_of_file = seq;
      }
      append(live_, failure_line(seq));
    }
  }
  EXPECT_GT(rotations, 2);
  AgentProcess agent(config_, log_);
  ASSERT_TRUE(wait_stored(static_cast<std::size_t>(seq))) << stored() << " of " << seq << "\n" << log_text();
  EXPECT_EQ(agent.terminate(), 0);
  expect_exactly_once(seq);
}

std::string http_get(std::uint16_t port, const std::string& path) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string out;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    const std::string req = "GET " + path + " HTTP/1.0\r\nHost: x\r\n\r\n";
    (void)!write(fd, req.data(), req.size());
    char buf[4096];
    ssize_t n = 0;
    while ((n = read(fd, buf, sizeof buf)) > 0)
      out.append(buf, static_cast<std::size_t>(n));
  }
  close(fd);
  return out;
}

std::uint16_t metrics_port(const std::string& log) {
  static const std::regex re("metrics on http://127\\.0\\.0\\.1:([0-9]+)/metrics");
  std::smatch m;
  return std::regex_search(log, m, re) ? static_cast<std::uint16_t>(std::stoi(m[1])) : 0;
}

TEST_F(RunTest, MetricsHealthAndReload) {
  AgentProcess agent(config_, log_);
  for (int i = 0; i < 10; ++i)
    append(live_, failure_line(i));
  ASSERT_TRUE(wait_stored(10)) << log_text();
  std::uint16_t port = 0;
  ASSERT_TRUE(wait_until([&] { return (port = metrics_port(log_text())) != 0; }, 10s)) << log_text();
  const auto metrics = http_get(port, "/metrics");
  EXPECT_NE(metrics.find("200 OK"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("negoheal_events_stored_total 10"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("negoheal_incidents_total{change=\"opened\"} 10"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("negoheal_checkpoint_lag_bytes{path=\"" + live_.string() + "\"} 0"), std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("negoheal_queue_depth{queue=\"probe\"} 0"), std::string::npos) << metrics;
  EXPECT_NE(http_get(port, "/healthz").find("200 OK"), std::string::npos);

  // An invalid config is refused and the running one kept; a valid one is taken.
  write_file(config_, R"({"sources": "not a list"})");
  agent.hangup();
  ASSERT_TRUE(wait_until([&] { return log_text().find("keeping the running config") != std::string::npos; }, 10s));
  append(live_, failure_line(10));
  ASSERT_TRUE(wait_stored(11)) << log_text();
  write_config(R"(,"log":{"format":"json"})");
  agent.hangup();
  ASSERT_TRUE(wait_until([&] { return log_text().find("\"message\":\"reloaded") != std::string::npos; }, 10s))
      << log_text();
  append(live_, failure_line(11));
  ASSERT_TRUE(wait_stored(12)) << log_text();
  EXPECT_EQ(agent.terminate(), 0);
  expect_exactly_once(12);
}

// Diagnosis in the daemon: a failure against a port where nothing listens is probed (connection
// refused: unreachable), the probe is stored with the incident, and the incident is escalated.
TEST_F(RunTest, NewIncidentsAreProbedAndTheResultStored) {
  // A port that refuses: bind one, learn its number, close it.
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  const int port = ntohs(addr.sin_port);
  close(fd);
  write_file(config_, R"({"sources":[{"type":"file","paths":[")" + (logs_ / "PAM-Proxy*.log").string() +
                          R"("]}],"store":{"path":")" + db_.string() +
                          R"("},"probe":{"enabled":true,"timeout":"2s"},"http":{"listen":""}})");
  AgentProcess agent(config_, log_);
  append(live_, "2026-11-25T10:00:00.000Z ERROR Session 1 to 127.0.0.1:" + std::to_string(port) +
                    " failed: ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED [0x0002000C]\n");
  ASSERT_TRUE(wait_until([&] { return count(db_, "SELECT COUNT(*) FROM probes") == 1; }, 20s)) << log_text();
  ASSERT_TRUE(
      wait_until([&] { return count(db_, "SELECT COUNT(*) FROM incidents WHERE state='escalated'") == 1; }, 20s))
      << log_text();
  EXPECT_EQ(agent.terminate(), 0);
  const auto probe = query(db_, "SELECT target, port, posture, incident_id FROM probes");
  ASSERT_EQ(probe.size(), 1u);
  EXPECT_EQ(probe[0][0], "127.0.0.1");
  EXPECT_EQ(probe[0][1], std::to_string(port));
  EXPECT_EQ(probe[0][2], "unreachable");
  const auto tr = query(db_, "SELECT from_state, to_state FROM transitions ORDER BY id");
  ASSERT_EQ(tr.size(), 3u);
  EXPECT_EQ(tr[1][1], "diagnosing");
  EXPECT_EQ(tr[2][1], "escalated");
}

TEST_F(RunTest, StartUpErrorsExitOne) {
  write_file(config_, R"({"sources":[{"type":"file","paths":["/x/*/y.log"]}],"store":{"path":")" + db_.string() +
                          R"("},"http":{"listen":""}})");
  AgentProcess agent(config_, log_);
  EXPECT_EQ(agent.wait(), 1);
  EXPECT_NE(log_text().find("wildcards are allowed in the file name only"), std::string::npos) << log_text();
}

}  // namespace
}  // namespace negoheal
