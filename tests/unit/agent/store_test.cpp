#include "agent/store/store.h"

#include <gtest/gtest.h>

#include "agent/pipeline/ingest.h"
#include "agent/store/migrations.h"
#include "core/timestamp.h"
#include "tests/test_support.h"

namespace negoheal {
namespace {

using namespace std::chrono_literals;
using testing::TempDir;

std::string wlog(const char* time, const char* thread, const std::string& msg) {
  return std::string("[") + time + "] [" + thread + "] [ERROR][com.freerdp.core] - " + msg + "\n";
}

struct Replayer {
  explicit Replayer(const std::filesystem::path& db) {
    store = store::Store::open(db).value();
    correlator = pipeline::resume_correlator(*store, {}).value();
  }
  Status replay(const std::filesystem::path& input) {
    pipeline::InputOptions o;
    o.patterns = parsers::LinePatterns::compile({}, {}).value();
    o.reference = make_time(2026, 11, 24, 12h);
    o.local_offset = std::chrono::seconds(0);
    pipeline::Ingest ingest(*store, *correlator, clock);
    auto st = ingest.file(input, o);
    stats = ingest.stats();
    return st;
  }
  std::unique_ptr<store::Store> store;
  std::unique_ptr<correlate::Correlator> correlator;
  ManualClock clock{make_time(2026, 11, 25, 0h)};
  pipeline::IngestStats stats;
};

TEST(Store, ReplayingTheSameFileTwiceStoresEachEventOnce) {
  TempDir dir;
  const auto log = dir / "PAM-Proxy.log";
  testing::write_file(log, wlog("10:00:00:001", "1:2", "connecting to peer a.example") +
                               wlog("10:00:00:002", "1:2", "ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED [0x0002000C]") +
                               wlog("10:00:01:002", "1:3", "ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED [0x0002000C]"));
  {
    Replayer r(dir / "s.db");
    ASSERT_TRUE(r.replay(log).ok());
    EXPECT_EQ(r.stats.new_events, 2u);
    EXPECT_EQ(r.stats.incidents_opened, 2u);
  }
  {
    // A new process (and a copy of the file under another name) changes nothing.
    std::filesystem::copy_file(log, dir / "copy.log");
    Replayer r(dir / "s.db");
    ASSERT_TRUE(r.replay(log).ok());
    ASSERT_TRUE(r.replay(dir / "copy.log").ok());
    EXPECT_EQ(r.stats.new_events, 0u);
    EXPECT_EQ(r.stats.known_events, 2u);
    EXPECT_EQ(r.store->events({}).value().size(), 2u);
    EXPECT_EQ(r.store->incidents({}).value().size(), 2u);
  }
}

TEST(Store, AppendedLinesAreNewAndJoinTheOpenIncident) {
  TempDir dir;
  const auto log = dir / "p.log";
  std::string content = wlog("10:00:00:001", "1:2", "connecting to peer a.example");
  content.resize(5000, ' ');  // a fingerprint covers the first 4 KiB only: growth keeps the identity
  content += "\n" + wlog("10:00:00:002", "1:2", "ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED [0x0002000C]");
  testing::write_file(log, content);
  Replayer r(dir / "s.db");
  ASSERT_TRUE(r.replay(log).ok());
  content += wlog("10:00:05:001", "1:2", "connecting to peer a.example") +
             wlog("10:00:05:002", "1:2", "ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED [0x0002000C]");
  testing::write_file(log, content);
  ASSERT_TRUE(r.replay(log).ok());
  EXPECT_EQ(r.stats.new_events, 1u);
  const auto incidents = r.store->incidents({}).value();
  ASSERT_EQ(incidents.size(), 1u);
  EXPECT_EQ(incidents[0].failures, 2);
  EXPECT_EQ(r.store->transitions(incidents[0].id).value().size(), 1u);
}

TEST(Store, FiltersEventsByHostAndTime) {
  TempDir dir;
  const auto log = dir / "p.log";
  testing::write_file(log, wlog("10:00:00:001", "1:2", "connecting to peer a.example") +
                               wlog("10:00:00:002", "1:2", "ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED [0x0002000C]") +
                               wlog("11:00:00:002", "1:3", "ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED [0x0002000C]"));
  Replayer r(dir / "s.db");
  ASSERT_TRUE(r.replay(log).ok());
  EXPECT_EQ(r.store->events({.host = "a.example"}).value().size(), 1u);
  EXPECT_EQ(r.store->events({.host = std::string(k_unattributed)}).value().size(), 1u);
  EXPECT_EQ(r.store->events({.since = make_time(2026, 11, 24, 10h + 30min)}).value().size(), 1u);
  EXPECT_EQ(r.store->events({.until = make_time(2026, 11, 24, 10h + 30min)}).value().size(), 1u);
}

TEST(Store, RefusesAStoreFromANewerVersion) {
  TempDir dir;
  {
    auto s = store::Store::open(dir / "s.db").value();
    ASSERT_TRUE(s->db().exec("PRAGMA user_version=99").ok());
  }
  auto again = store::Store::open(dir / "s.db");
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.error().message.find("newer"), std::string::npos);
}

TEST(Store, UsesWalAndTheCurrentSchema) {
  TempDir dir;
  auto s = store::Store::open(dir / "s.db").value();
  auto q = s->db().prepare("PRAGMA journal_mode").value();
  ASSERT_TRUE(q.step().value());
  EXPECT_EQ(q.text(0), "wal");
  auto v = s->db().prepare("PRAGMA user_version").value();
  ASSERT_TRUE(v.step().value());
  EXPECT_EQ(v.int64(0), static_cast<std::int64_t>(store::k_migrations.size()));
}

}  // namespace
}  // namespace negoheal
