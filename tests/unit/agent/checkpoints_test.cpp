#include "agent/store/checkpoints.h"

#include <gtest/gtest.h>

#include "agent/store/store.h"
#include "core/timestamp.h"
#include "tests/test_support.h"

namespace negoheal::store {
namespace {

using namespace std::chrono_literals;
using sources::Checkpoint;
using sources::Encoding;
using sources::FileId;
using testing::TempDir;

void expect_same(const Checkpoint& got, const Checkpoint& want) {
  EXPECT_EQ(got.source_id, want.source_id);
  EXPECT_EQ(got.path, want.path);
  EXPECT_EQ(got.id.device, want.id.device);
  EXPECT_EQ(got.id.index, want.id.index);
  EXPECT_EQ(got.offset, want.offset);
  EXPECT_EQ(got.head_len, want.head_len);
  EXPECT_EQ(got.head_hash, want.head_hash);
  EXPECT_EQ(got.marker_len, want.marker_len);
  EXPECT_EQ(got.marker_hash, want.marker_hash);
  EXPECT_EQ(got.encoding, want.encoding);
  EXPECT_EQ(got.skipping, want.skipping);
}

struct Fixture {
  Fixture() {
    store = Store::open(dir / "store.db").value();
    auto c = Checkpoints::open(store->db());
    EXPECT_TRUE(c.ok()) << c.error().message;
    checkpoints.emplace(std::move(*c));
  }
  std::int64_t source(const std::string& identity) { return store->source_id(identity, "/logs/" + identity).value(); }

  TempDir dir;
  std::unique_ptr<Store> store;
  std::optional<Checkpoints> checkpoints;
  TimePoint now = make_time(2026, 11, 24, 12h);
};

Checkpoint sample(std::int64_t source_id, FileId id) {
  Checkpoint cp;
  cp.source_id = source_id;
  cp.path = "/var/log/proxy/PAM-Proxy.log";
  cp.id = id;
  cp.offset = 123456789012ULL;
  cp.head_len = 4096;
  cp.head_hash = "0123456789abcdef";
  cp.marker_len = 64;
  cp.marker_hash = "fedcba9876543210";
  cp.encoding = Encoding::utf16le;
  cp.skipping = true;
  return cp;
}

TEST(Checkpoints, SaveAndReadBack) {
  Fixture f;
  const auto cp = sample(f.source("a"), {42, 4711});
  ASSERT_TRUE(f.checkpoints->save(cp, Checkpoints::State::active, f.now).ok());
  auto all = f.checkpoints->active();
  ASSERT_TRUE(all.ok()) << all.error().message;
  ASSERT_EQ(all->size(), 1u);
  expect_same(all->front(), cp);
  auto by_id = f.checkpoints->active_for({42, 4711});
  ASSERT_TRUE(by_id.ok());
  ASSERT_EQ(by_id->size(), 1u);
  expect_same(by_id->front(), cp);
  EXPECT_TRUE(f.checkpoints->active_for({42, 4712})->empty());
  EXPECT_TRUE(f.checkpoints->active_for({43, 4711})->empty());
}

TEST(Checkpoints, DeviceAndInodeAbove2To63RoundTrip) {
  Fixture f;
  const FileId big{0xFFFFFFFFFFFFFFF0ULL, (1ULL << 63) | 5};
  auto cp = sample(f.source("big"), big);
  cp.encoding = Encoding::utf8;
  cp.skipping = false;
  ASSERT_TRUE(f.checkpoints->save(cp, Checkpoints::State::active, f.now).ok());
  auto by_id = f.checkpoints->active_for(big);
  ASSERT_TRUE(by_id.ok()) << by_id.error().message;
  ASSERT_EQ(by_id->size(), 1u);
  expect_same(by_id->front(), cp);
  EXPECT_EQ(by_id->front().id, big);
  // The bit pattern, not a clamped value: a neighbour does not match.
  EXPECT_TRUE(f.checkpoints->active_for({0xFFFFFFFFFFFFFFF0ULL, 5})->empty());
  auto all = f.checkpoints->active();
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ(all->front().id, big);
}

TEST(Checkpoints, SaveAgainUpdatesTheRow) {
  Fixture f;
  auto cp = sample(f.source("a"), {1, 2});
  ASSERT_TRUE(f.checkpoints->save(cp, Checkpoints::State::active, f.now).ok());
  cp.offset = 999;
  cp.path = "/var/log/proxy/PAM-Proxy.log.1";
  cp.skipping = false;
  cp.encoding = Encoding::utf8;
  ASSERT_TRUE(f.checkpoints->save(cp, Checkpoints::State::active, f.now + 1s).ok());
  auto all = f.checkpoints->active();
  ASSERT_EQ(all->size(), 1u);
  expect_same(all->front(), cp);
}

TEST(Checkpoints, RotatedIsNotActive) {
  Fixture f;
  const auto a = sample(f.source("a"), {7, 100});
  const auto b = sample(f.source("b"), {7, 200});
  ASSERT_TRUE(f.checkpoints->save(a, Checkpoints::State::active, f.now).ok());
  ASSERT_TRUE(f.checkpoints->save(b, Checkpoints::State::active, f.now).ok());
  ASSERT_EQ(f.checkpoints->active()->size(), 2u);

  ASSERT_TRUE(f.checkpoints->save(a, Checkpoints::State::rotated, f.now + 1s).ok());
  auto all = f.checkpoints->active();
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ(all->front().source_id, b.source_id);
  EXPECT_TRUE(f.checkpoints->active_for({7, 100})->empty());
  EXPECT_EQ(f.checkpoints->active_for({7, 200})->size(), 1u);

  // Back to active (the same generation found again).
  ASSERT_TRUE(f.checkpoints->save(a, Checkpoints::State::active, f.now + 2s).ok());
  EXPECT_EQ(f.checkpoints->active()->size(), 2u);
}

TEST(Checkpoints, ActiveForListsARecycledInodeNewestFirst) {
  Fixture f;
  const FileId id{3, 33};
  const auto older = sample(f.source("old"), id);
  const auto newer = sample(f.source("new"), id);
  ASSERT_LT(older.source_id, newer.source_id);
  ASSERT_TRUE(f.checkpoints->save(older, Checkpoints::State::active, f.now).ok());
  ASSERT_TRUE(f.checkpoints->save(newer, Checkpoints::State::active, f.now).ok());
  auto by_id = f.checkpoints->active_for(id);
  ASSERT_TRUE(by_id.ok());
  ASSERT_EQ(by_id->size(), 2u);
  EXPECT_EQ((*by_id)[0].source_id, newer.source_id);
  EXPECT_EQ((*by_id)[1].source_id, older.source_id);
  // active() is ordered by source id, oldest first.
  auto all = f.checkpoints->active();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].source_id, older.source_id);
}

TEST(Checkpoints, SurviveReopeningTheStore) {
  TempDir dir;
  Checkpoint cp;
  {
    auto store = Store::open(dir / "store.db").value();
    cp = sample(store->source_id("x", "/logs/x").value(), {0x8000000000000000ULL, 0xFFFFFFFFFFFFFFFFULL});
    auto c = Checkpoints::open(store->db());
    ASSERT_TRUE(c.ok());
    ASSERT_TRUE(c->save(cp, Checkpoints::State::active, make_time(2026, 11, 24, 0h)).ok());
  }
  auto store = Store::open(dir / "store.db").value();
  auto c = Checkpoints::open(store->db());
  ASSERT_TRUE(c.ok());
  auto all = c->active();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  expect_same(all->front(), cp);
}

TEST(Encoding, NamesRoundTrip) {
  for (auto e : {Encoding::utf8, Encoding::utf16le, Encoding::undecided})
    EXPECT_EQ(sources::parse_encoding(sources::to_string(e)), e);
  EXPECT_EQ(sources::parse_encoding("latin1"), Encoding::undecided);
}

}  // namespace
}  // namespace negoheal::store
