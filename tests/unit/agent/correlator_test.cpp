#include "agent/correlate/correlator.h"

#include <gtest/gtest.h>

#include "core/timestamp.h"

namespace negoheal::correlate {
namespace {

using namespace std::chrono_literals;
using Kind = Change::Kind;

const TimePoint k_t0 = make_time(2026, 11, 24, 10h);

Event failure(std::optional<std::string> host, TimePoint t, std::string provider = "freerdp",
              std::optional<std::string> thread = std::nullopt) {
  Event e;
  e.code = std::string(k_nego_failure_code);
  e.provider = std::move(provider);
  e.host = std::move(host);
  e.timestamp = t;
  e.thread = std::move(thread);
  return e;
}

TEST(Correlator, ThresholdWithinTheWindowOpensOneIncident) {
  Correlator c({.window = 10min, .threshold = 3, .cooldown = 30min, .dedupe = 2s});
  EXPECT_EQ(c.observe(failure("a", k_t0), "f", k_t0).kind, Kind::counted);
  EXPECT_EQ(c.observe(failure("a", k_t0 + 20min), "f", k_t0).kind, Kind::counted);  // first one left the window
  EXPECT_EQ(c.observe(failure("a", k_t0 + 21min), "f", k_t0).kind, Kind::counted);
  const auto opened = c.observe(failure("a", k_t0 + 22min), "f", k_t0);
  ASSERT_EQ(opened.kind, Kind::opened);
  EXPECT_EQ(opened.incident->id, 1);
  EXPECT_EQ(opened.incident->failures, 3);
  EXPECT_EQ(opened.incident->opened_at, k_t0 + 20min);
  EXPECT_EQ(opened.window_start, k_t0 + 20min);
  ASSERT_TRUE(opened.transition);
  EXPECT_FALSE(opened.transition->from);
  EXPECT_EQ(opened.transition->to, IncidentState::detected);
  const auto more = c.observe(failure("a", k_t0 + 23min), "f", k_t0);
  EXPECT_EQ(more.kind, Kind::attached);
  EXPECT_EQ(more.incident->failures, 4);
  EXPECT_FALSE(more.transition);
}

TEST(Correlator, TargetsAreIndependentAndUnattributedIsItsOwn) {
  Correlator c({.threshold = 1});
  EXPECT_EQ(c.observe(failure("a", k_t0), "f", k_t0).incident->id, 1);
  EXPECT_EQ(c.observe(failure("b", k_t0), "f", k_t0).incident->id, 2);
  const auto u = c.observe(failure(std::nullopt, k_t0), "f", k_t0);
  ASSERT_EQ(u.kind, Kind::opened);
  EXPECT_FALSE(u.incident->target);
  EXPECT_NE(u.transition->cause.find("no target"), std::string::npos);
}

TEST(Correlator, LineSourcesAreDedupedPerAttempt) {
  Correlator c({.threshold = 1, .dedupe = 2s});
  EXPECT_EQ(c.observe(failure("a", k_t0, "nps-proxy"), "f", k_t0).kind, Kind::opened);
  EXPECT_EQ(c.observe(failure("a", k_t0 + 1ms, "nps-proxy"), "f", k_t0).kind, Kind::duplicate);
  EXPECT_EQ(c.observe(failure("a", k_t0 + 1s, "nps-proxy"), "f", k_t0).kind, Kind::duplicate);
  EXPECT_EQ(c.observe(failure("a", k_t0 + 10s, "nps-proxy"), "f", k_t0).kind, Kind::attached);
  // Another source is another attempt.
  EXPECT_EQ(c.observe(failure("a", k_t0 + 10s, "nps-proxy"), "g", k_t0).kind, Kind::attached);
}

TEST(Correlator, FreerdpAttemptsAreNeverMergedByTime) {
  // The FreeRDP parser already emits one event per attempt: two threads failing in the same
  // millisecond are two attempts.
  Correlator c({.threshold = 1});
  EXPECT_EQ(c.observe(failure("a", k_t0, "freerdp", "1:2"), "f", k_t0).kind, Kind::opened);
  EXPECT_EQ(c.observe(failure("a", k_t0, "freerdp", "1:3"), "f", k_t0).incident->failures, 2);
}

TEST(Correlator, RestoredIncidentsContinueAndIdsDoNotCollide) {
  Incident open;
  open.id = 7;
  open.target = "a";
  open.state = IncidentState::detected;
  open.opened_at = open.updated_at = open.last_failure_at = k_t0;
  open.failures = 2;
  Correlator c({.threshold = 1}, 7);
  c.restore({open});
  EXPECT_EQ(c.observe(failure("a", k_t0 + 1min), "f", k_t0).kind, Kind::attached);
  EXPECT_EQ(c.observe(failure("b", k_t0 + 1min), "f", k_t0).incident->id, 8);
}

TEST(Correlator, FailureWithinTheCooldownReopensAClosedIncident) {
  Correlator c({.threshold = 1, .cooldown = 30min});
  auto opened = c.observe(failure("a", k_t0), "f", k_t0);
  Incident closed = *opened.incident;
  closed.state = IncidentState::resolved;
  closed.updated_at = k_t0 + 1min;
  c.update(closed);
  const auto again = c.observe(failure("a", k_t0 + 10min), "f", k_t0);
  ASSERT_EQ(again.kind, Kind::reopened);
  EXPECT_EQ(again.incident->id, closed.id);
  EXPECT_EQ(again.transition->from, IncidentState::resolved);
  // After the cooldown a new incident opens.
  Incident closed2 = *again.incident;
  closed2.state = IncidentState::resolved;
  c.update(closed2);
  c.tick(k_t0 + 2h);
  EXPECT_EQ(c.observe(failure("a", k_t0 + 2h), "f", k_t0).kind, Kind::opened);
}

TEST(Correlator, EscalatedIncidentsCountFurtherFailuresWithoutReopening) {
  Correlator c({.threshold = 1, .cooldown = 30min});
  auto opened = c.observe(failure("a", k_t0), "f", k_t0);
  Incident escalated = *opened.incident;
  escalated.state = IncidentState::escalated;
  escalated.updated_at = k_t0 + 1min;
  c.update(escalated);
  const auto again = c.observe(failure("a", k_t0 + 10min), "f", k_t0);
  ASSERT_EQ(again.kind, Kind::attached);
  EXPECT_EQ(again.incident->state, IncidentState::escalated);
  EXPECT_EQ(again.incident->failures, 2);
  EXPECT_FALSE(again.transition);
  // Quiet for longer than the cooldown: a fresh incident (and a fresh diagnosis).
  c.tick(k_t0 + 2h);
  EXPECT_EQ(c.observe(failure("a", k_t0 + 2h), "f", k_t0).kind, Kind::opened);
}

TEST(Correlator, TickForgetsQuietTargets) {
  Correlator c({.window = 10min, .threshold = 5});
  for (int i = 0; i < 100; ++i)
    (void)c.observe(failure("h" + std::to_string(i), k_t0), "f", k_t0);
  EXPECT_EQ(c.tracked_targets(), 100u);
  c.tick(k_t0 + 1h);
  EXPECT_EQ(c.tracked_targets(), 0u);
}

TEST(Correlator, OtherEventsAreIgnored) {
  Correlator c({});
  Event e;
  e.code = "4625";
  EXPECT_EQ(c.observe(e, "f", k_t0).kind, Kind::ignored);
}

}  // namespace
}  // namespace negoheal::correlate
