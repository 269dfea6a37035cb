// The diagnosis stage against in-process RDP peers on loopback, over a real SQLite file: states and
// transitions, the probe rows, per-target reuse, the global caps, the bounded queue, restarts and
// shutdown, and the timeline. Time is a ManualClock; the io_context runs until a condition holds or
// a deadline passes (nothing sleeps).
#include "agent/diagnose/diagnoser.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

#include "agent/pipeline/ingest.h"
#include "agent/store/probe_log.h"
#include "agent/timeline/timeline.h"
#include "core/timestamp.h"
#include "tests/test_support.h"
#include "tests/unit/probe/fake_responder.h"

namespace negoheal::diagnose {
namespace {

using namespace std::chrono_literals;
using probe::testing::Action;
using probe::testing::confirm;
using probe::testing::FakeResponder;
using Requested = std::optional<std::uint32_t>;
using Kind = correlate::Change::Kind;

constexpr Duration k_timeout = 300ms;
// A hang would blow far past it; a loaded 2-core machine stays well inside.
constexpr auto k_deadline = 20s;

Action rsp(std::uint32_t selected) {
  return {Action::Kind::send, confirm(2, 0x01, selected)};
}
Action failure(std::uint32_t code) {
  return {Action::Kind::send, confirm(3, 0, code)};
}
Action windows_rdp_only(Requested r) {
  return r == 0U ? rsp(0) : failure(2);
}
Action xrdp_tls(Requested r) {
  return r == 0U ? failure(1) : rsp(1);
}
Action silent(Requested) {
  return {Action::Kind::silent, {}};
}

// One agent process: store, correlator and diagnoser over a database file that outlives it.
struct Agent {
  Agent(const std::filesystem::path& db, ManualClock& manual_clock, DiagnoseOptions options = base_options())
      : clock(manual_clock) {
    store = store::Store::open(db).value();
    correlator = pipeline::resume_correlator(*store, {}).value();
    diagnoser = std::make_unique<Diagnoser>(
        io, *store, *correlator, clock, std::move(options),
        [this](const Incident& inc, const store::ProbeRecord& rec) { diagnosed.emplace_back(inc, rec); });
  }

  static DiagnoseOptions base_options() {
    DiagnoseOptions o;
    o.timeout = k_timeout;
    return o;
  }

  // One failed attempt through the correlator into the store, as the ingest pipeline records it,
  // then the diagnoser's hook.
  correlate::Change fail(std::optional<std::string> host, std::optional<std::uint16_t> port) {
    Event e;
    e.code = std::string(k_nego_failure_code);
    e.provider = "freerdp";
    e.timestamp = clock.now();
    e.host = std::move(host);
    e.port = port;
    e.thread = "1:" + std::to_string(++attempts);
    auto change = correlator->observe(e, "test", clock.now());
    if (change.incident) {
      EXPECT_TRUE(store->upsert_incident(*change.incident).ok());
    }
    if (change.transition) {
      EXPECT_TRUE(store->add_transition(*change.transition).ok());
    }
    if (change.incident) diagnoser->on_incident(*change.incident, change.kind);
    return change;
  }

  // An incident written straight to the store (several incidents of one host need that: the
  // correlator keeps one per target).
  Incident add_incident(std::optional<std::string> target, std::optional<std::uint16_t> port,
                        IncidentState state = IncidentState::detected) {
    Incident inc;
    inc.id = store->max_incident_id().value() + 1;
    inc.target = std::move(target);
    inc.port = port;
    inc.state = state;
    inc.opened_at = inc.updated_at = inc.last_failure_at = clock.now();
    inc.failures = 1;
    EXPECT_TRUE(store->upsert_incident(inc).ok());
    EXPECT_TRUE(
        store->add_transition({inc.id, clock.now(), std::nullopt, IncidentState::detected, "test", std::nullopt}).ok());
    if (state != IncidentState::detected) {
      EXPECT_TRUE(
          store->add_transition({inc.id, clock.now(), IncidentState::detected, state, "test", std::nullopt}).ok());
    }
    return inc;
  }

  template <class Pred>
  bool run_until(Pred done) {
    const auto end = std::chrono::steady_clock::now() + k_deadline;
    while (!done()) {
      if (std::chrono::steady_clock::now() > end) return false;
      if (io.stopped()) io.restart();
      io.run_one_for(20ms);
    }
    return true;
  }
  bool run_until_idle() {
    return run_until([&] { return diagnoser->idle(); });
  }

  // What a verified fix does (the remediation planner): the incident closes as resolved, so a
  // relapse reopens it.
  void resolve(std::int64_t id) {
    Incident inc = incident(id);
    inc.state = IncidentState::resolved;
    correlator->update(inc);
    ASSERT_TRUE(store->upsert_incident(inc));
  }
  Incident incident(std::int64_t id) {
    const auto all = store->incidents({}).value();
    for (const auto& inc : all) {
      if (inc.id == id) return inc;
    }
    ADD_FAILURE() << "no incident #" << id;
    return {};
  }
  std::vector<std::string> transitions(std::int64_t id) {
    std::vector<std::string> out;
    const auto all = store->transitions(id).value();
    for (const auto& t : all) {
      out.push_back((t.from ? std::string(to_string(*t.from)) : std::string("new")) + " -> " +
                    std::string(to_string(t.to)) + ": " + t.cause);
    }
    return out;
  }
  std::vector<store::ProbeRecord> probes(std::int64_t id) {
    return store::ProbeLog(store->db()).for_incident(id).value();
  }

  ManualClock& clock;
  boost::asio::io_context io;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<correlate::Correlator> correlator;
  std::vector<std::pair<Incident, store::ProbeRecord>> diagnosed;
  std::unique_ptr<Diagnoser> diagnoser;  // last: destroyed first
  int attempts = 0;
};

struct Diagnose : ::testing::Test {
  testing::TempDir dir;
  ManualClock clock{make_time(2026, 11, 24, 10h)};
  [[nodiscard]] std::filesystem::path db() const { return dir / "negoheal.db"; }
};

std::string key(std::uint16_t port) {
  return "127.0.0.1:" + std::to_string(port);
}

TEST_F(Diagnose, RdpOnlyStaysDiagnosingStoresTheAnswersAndCallsThePlanner) {
  FakeResponder peer(windows_rdp_only);
  Agent a(db(), clock);
  const auto change = a.fail("127.0.0.1", peer.port());
  ASSERT_EQ(change.kind, Kind::opened);
  const auto id = change.incident->id;
  EXPECT_FALSE(a.diagnoser->idle());
  ASSERT_TRUE(a.run_until_idle());

  EXPECT_EQ(a.incident(id).state, IncidentState::diagnosing);
  const auto tr = a.transitions(id);
  ASSERT_EQ(tr.size(), 2U);
  EXPECT_EQ(tr[1], "detected -> diagnosing: probe " + key(peer.port()) + " (port from the event)");

  const auto rows = a.probes(id);
  ASSERT_EQ(rows.size(), 1U);
  const auto& row = rows[0];
  EXPECT_EQ(row.target, "127.0.0.1");
  EXPECT_EQ(row.port, peer.port());
  EXPECT_EQ(row.at, clock.now());
  EXPECT_EQ(row.posture, "rdp-only");
  EXPECT_TRUE(row.explains);
  EXPECT_EQ(row.cause, "incident opened");
  EXPECT_FALSE(row.reused());
  const auto j = nlohmann::json::parse(row.result_json);
  EXPECT_EQ(j["target"], key(peer.port()));
  EXPECT_EQ(j["posture"], "rdp-only");
  EXPECT_EQ(j["explains_nego_failure"], true);
  ASSERT_EQ(j["answers"].size(), 3U);
  EXPECT_EQ(j["answers"][0]["name"], "SSL_NOT_ALLOWED_BY_SERVER");
  EXPECT_EQ(j["answers"][0]["raw"], "030000130ed000001234000300080002000000");
  EXPECT_EQ(peer.received().size(), 3U);

  ASSERT_EQ(a.diagnosed.size(), 1U);
  EXPECT_EQ(a.diagnosed[0].first.id, id);
  EXPECT_EQ(a.diagnosed[0].first.state, IncidentState::diagnosing);
  EXPECT_EQ(a.diagnosed[0].second.id, row.id);

  const auto& s = a.diagnoser->stats();
  EXPECT_EQ(s.probes_started, 1U);
  EXPECT_EQ(s.probes_finished, 1U);
  EXPECT_EQ(s.explained, 1U);
  EXPECT_EQ(s.escalated, 0U);
  EXPECT_EQ(s.in_flight, 0U);
  EXPECT_EQ(s.store_errors, 0U) << s.last_error;

  // The correlator's copy agrees with the store: the next failure attaches to a diagnosing incident.
  const auto next = a.fail("127.0.0.1", peer.port());
  EXPECT_EQ(next.kind, Kind::attached);
  EXPECT_EQ(next.incident->state, IncidentState::diagnosing);
  EXPECT_TRUE(a.diagnoser->idle());
}

TEST_F(Diagnose, TlsRequiredDoesNotExplainTheFailureAndIsEscalated) {
  FakeResponder peer(xrdp_tls);
  Agent a(db(), clock);
  const auto id = a.fail("127.0.0.1", peer.port()).incident->id;
  ASSERT_TRUE(a.run_until_idle());
  EXPECT_EQ(a.incident(id).state, IncidentState::escalated);
  const auto tr = a.transitions(id);
  ASSERT_EQ(tr.size(), 3U);
  EXPECT_EQ(tr[2].rfind("diagnosing -> escalated: posture tls-required: does not explain the failure; no change", 0),
            0U)
      << tr[2];
  EXPECT_EQ(a.probes(id).at(0).posture, "tls-required");
  EXPECT_TRUE(a.diagnosed.empty());
  EXPECT_EQ(a.diagnoser->stats().escalated, 1U);
  // Escalated waits for a human: a further failure is counted on it, not re-diagnosed.
  const auto again = a.fail("127.0.0.1", peer.port());
  EXPECT_EQ(again.kind, Kind::attached);
  EXPECT_EQ(again.incident->state, IncidentState::escalated);
}

TEST_F(Diagnose, ANameThatDoesNotResolveIsAnUnreachableResult) {
  Agent a(db(), clock);
  const auto id = a.fail("no-such-host.invalid", 3389).incident->id;
  ASSERT_TRUE(a.run_until_idle());
  const auto rows = a.probes(id);
  ASSERT_EQ(rows.size(), 1U);
  EXPECT_EQ(rows[0].posture, "unreachable");
  EXPECT_NE(rows[0].note.find("cannot resolve 'no-such-host.invalid'"), std::string::npos) << rows[0].note;
  EXPECT_NE(rows[0].result_json.find("\"posture\":\"unreachable\""), std::string::npos);
  EXPECT_EQ(a.incident(id).state, IncidentState::escalated);
  EXPECT_NE(a.transitions(id).back().find("posture unreachable: does not explain the failure; no change"),
            std::string::npos);
  EXPECT_EQ(a.diagnoser->stats().probe_errors, 1U);
}

TEST_F(Diagnose, ATargetProbedWithinMinIntervalReusesThatResult) {
  FakeResponder peer(xrdp_tls);
  Agent a(db(), clock);
  const auto id = a.fail("127.0.0.1", peer.port()).incident->id;
  ASSERT_TRUE(a.run_until_idle());
  const auto sent = peer.received().size();
  const auto first = a.probes(id).at(0);

  // A relapse one minute after a fix: the result of a minute ago answers, nothing is sent.
  a.resolve(id);
  clock.advance(1min);
  ASSERT_EQ(a.fail("127.0.0.1", peer.port()).kind, Kind::reopened);
  ASSERT_TRUE(a.run_until_idle());
  EXPECT_EQ(peer.received().size(), sent);
  auto rows = a.probes(id);
  ASSERT_EQ(rows.size(), 2U);
  EXPECT_EQ(rows[1].reused_from, first.id);
  EXPECT_EQ(rows[1].cause, "reused probe #" + std::to_string(first.id));
  EXPECT_EQ(rows[1].at, clock.now());
  EXPECT_EQ(rows[1].result_json, first.result_json);
  auto tr = a.transitions(id);
  EXPECT_NE(std::find(tr.begin(), tr.end(),
                      "detected -> diagnosing: reused probe #" + std::to_string(first.id) + " of " + key(peer.port()) +
                          " from 2026-11-24T10:00:00.000Z (probed less than 5m ago)"),
            tr.end());
  EXPECT_EQ(a.incident(id).state, IncidentState::escalated);
  EXPECT_EQ(a.diagnoser->stats().reused, 1U);
  EXPECT_EQ(a.diagnoser->stats().probes_started, 1U);

  // Reused rows never extend the interval: 5 minutes after the real probe, it is probed again.
  a.resolve(id);
  clock.advance(4min);
  ASSERT_EQ(a.fail("127.0.0.1", peer.port()).kind, Kind::reopened);
  ASSERT_TRUE(a.run_until_idle());
  EXPECT_GT(peer.received().size(), sent);
  rows = a.probes(id);
  ASSERT_EQ(rows.size(), 3U);
  EXPECT_FALSE(rows[2].reused());
  EXPECT_EQ(rows[2].cause, "incident reopened");
  EXPECT_EQ(a.diagnoser->stats().probes_started, 2U);
}

TEST_F(Diagnose, AtMostMaxConcurrentProbesRun) {
  FakeResponder p1(silent), p2(silent), p3(silent);
  auto options = Agent::base_options();
  options.max_concurrent = 2;
  Agent a(db(), clock, options);
  std::vector<Incident> incs;
  for (const auto* p : {&p1, &p2, &p3}) {
    incs.push_back(a.add_incident("127.0.0.1", p->port()));
    a.diagnoser->on_incident(incs.back(), Kind::opened);
  }
  EXPECT_EQ(a.diagnoser->stats().queued, 3U);
  std::size_t most = 0;
  ASSERT_TRUE(a.run_until([&] {
    most = std::max(most, a.diagnoser->stats().in_flight);
    return a.diagnoser->stats().in_flight == 2;
  }));
  EXPECT_EQ(a.diagnoser->stats().queued, 1U);
  EXPECT_TRUE(p3.received().empty());
  EXPECT_EQ(a.incident(incs[2].id).state, IncidentState::detected);
  ASSERT_TRUE(a.run_until([&] {
    most = std::max(most, a.diagnoser->stats().in_flight);
    return a.diagnoser->idle();
  }));
  EXPECT_EQ(most, 2U);
  EXPECT_EQ(a.diagnoser->stats().probes_finished, 3U);
  for (const auto& inc : incs) {
    EXPECT_EQ(a.incident(inc.id).state, IncidentState::escalated);
    EXPECT_EQ(a.probes(inc.id).at(0).posture, "not-rdp");
  }
  EXPECT_EQ(p3.received().size(), 1U);
}

TEST_F(Diagnose, MaxPerHourQueuesTheRestUntilTheHourHasPassed) {
  FakeResponder p1(windows_rdp_only), p2(windows_rdp_only);
  auto options = Agent::base_options();
  options.max_per_hour = 1;
  Agent a(db(), clock, options);
  const auto i1 = a.add_incident("127.0.0.1", p1.port());
  const auto i2 = a.add_incident("127.0.0.1", p2.port());
  a.diagnoser->on_incident(i1, Kind::opened);
  a.diagnoser->on_incident(i2, Kind::opened);
  ASSERT_TRUE(a.run_until([&] { return a.diagnoser->stats().probes_finished == 1; }));
  const auto& s = a.diagnoser->stats();
  EXPECT_EQ(s.rate_limited, 1U);
  EXPECT_EQ(s.queued, 1U);
  EXPECT_EQ(s.probes_started, 1U);
  EXPECT_FALSE(a.diagnoser->idle());
  EXPECT_TRUE(p2.received().empty());
  EXPECT_EQ(a.incident(i2.id).state, IncidentState::detected);

  clock.advance(59min);
  a.diagnoser->tick();
  a.io.poll();
  EXPECT_EQ(s.probes_started, 1U);
  clock.advance(1min);
  a.diagnoser->tick();
  ASSERT_TRUE(a.run_until_idle());
  EXPECT_EQ(s.probes_started, 2U);
  EXPECT_EQ(s.rate_limited, 1U);  // counted once per incident, not per check
  EXPECT_EQ(a.incident(i2.id).state, IncidentState::diagnosing);
  EXPECT_EQ(a.diagnosed.size(), 2U);
}

TEST_F(Diagnose, AFullQueueIsCountedAndRecordedNeverSilent) {
  FakeResponder peer(windows_rdp_only);
  auto options = Agent::base_options();
  options.max_queued = 1;
  Agent a(db(), clock, options);
  const auto i1 = a.add_incident("127.0.0.1", peer.port());
  const auto i2 = a.add_incident("127.0.0.1", static_cast<std::uint16_t>(peer.port() + 1));
  a.diagnoser->on_incident(i1, Kind::opened);
  a.diagnoser->on_incident(i2, Kind::opened);
  EXPECT_EQ(a.diagnoser->stats().dropped, 1U);
  EXPECT_EQ(a.diagnoser->stats().queued, 1U);
  EXPECT_EQ(a.transitions(i2.id).back(),
            "detected -> detected: not probed: the probe queue is full (1 incidents waiting); retried at the next "
            "start");
  ASSERT_TRUE(a.run_until_idle());
  EXPECT_EQ(a.incident(i1.id).state, IncidentState::diagnosing);
  EXPECT_EQ(a.incident(i2.id).state, IncidentState::detected);
  EXPECT_TRUE(a.probes(i2.id).empty());
}

TEST_F(Diagnose, UnattributedIncidentsAreNeverProbed) {
  Agent a(db(), clock);
  const auto change = a.fail(std::nullopt, std::nullopt);
  ASSERT_EQ(change.kind, Kind::opened);
  EXPECT_TRUE(a.diagnoser->idle());
  a.io.poll();
  const auto id = change.incident->id;
  EXPECT_EQ(a.transitions(id).back(),
            "detected -> detected: not probed: no target could be attributed (unattributed failures are never "
            "probed)");
  EXPECT_EQ(a.incident(id).state, IncidentState::detected);
  EXPECT_TRUE(a.probes(id).empty());
  EXPECT_EQ(a.diagnoser->stats().unattributed, 1U);
  EXPECT_EQ(a.diagnoser->stats().probes_started, 0U);
  // Nor at start-up.
  ASSERT_TRUE(a.diagnoser->resume().ok());
  EXPECT_TRUE(a.diagnoser->idle());
}

TEST_F(Diagnose, OverridePortAndTheDefaultPortWhenTheEventHasNone) {
  FakeResponder by_override(windows_rdp_only), by_default(windows_rdp_only);
  auto options = Agent::base_options();
  options.default_port = by_default.port();
  options.overrides = {{"localhost", by_override.port(), false}};
  Agent a(db(), clock, options);
  const auto i1 = a.fail("localhost", std::nullopt).incident->id;
  const auto i2 = a.fail("127.0.0.1", std::nullopt).incident->id;
  ASSERT_TRUE(a.run_until_idle());
  EXPECT_EQ(a.transitions(i1).at(1), "detected -> diagnosing: probe localhost:" + std::to_string(by_override.port()) +
                                         " (OverridePort localhost:" + std::to_string(by_override.port()) + ")");
  EXPECT_EQ(a.transitions(i2).at(1), "detected -> diagnosing: probe " + key(by_default.port()) + " (default port)");
  EXPECT_EQ(a.probes(i1).at(0).port, by_override.port());
  EXPECT_FALSE(by_override.received().empty());
  EXPECT_FALSE(by_default.received().empty());
}

TEST_F(Diagnose, ResumeAfterARestartProbesWhatWasLeftAndCountsTheHourFromTheStore) {
  FakeResponder done(windows_rdp_only), waiting(windows_rdp_only), interrupted(xrdp_tls);
  std::int64_t diagnosed_id = 0;
  {
    Agent a(db(), clock);
    diagnosed_id = a.fail("127.0.0.1", done.port()).incident->id;
    ASSERT_TRUE(a.run_until_idle());
    ASSERT_EQ(a.incident(diagnosed_id).state, IncidentState::diagnosing);
    // Left by a run that stopped: one never probed, one stopped in the middle of its probe.
    a.add_incident("127.0.0.1", waiting.port());
    a.add_incident("127.0.0.1", interrupted.port(), IncidentState::diagnosing);
  }
  clock.advance(1min);
  auto options = Agent::base_options();
  options.max_per_hour = 2;  // the probe of the first run counts
  Agent b(db(), clock, options);
  ASSERT_TRUE(b.diagnoser->resume().ok());
  ASSERT_TRUE(b.diagnoser->resume().ok());  // idempotent
  EXPECT_EQ(b.diagnoser->stats().queued, 2U);
  ASSERT_TRUE(b.run_until([&] { return b.diagnoser->stats().probes_finished == 1; }));
  EXPECT_EQ(b.diagnoser->stats().rate_limited, 1U);
  clock.advance(1h);
  b.diagnoser->tick();
  ASSERT_TRUE(b.run_until_idle());

  EXPECT_EQ(b.probes(diagnosed_id).size(), 1U);  // had its result: left to the planner
  EXPECT_EQ(b.incident(diagnosed_id + 1).state, IncidentState::diagnosing);
  EXPECT_EQ(b.probes(diagnosed_id + 1).at(0).cause, "diagnosis resumed at start-up");
  EXPECT_EQ(b.incident(diagnosed_id + 2).state, IncidentState::escalated);
  EXPECT_EQ(b.probes(diagnosed_id + 2).at(0).cause, "probe resumed at start-up");
  // Already diagnosing: no second detected -> diagnosing.
  const auto tr = b.transitions(diagnosed_id + 2);
  EXPECT_EQ(std::count_if(tr.begin(), tr.end(), [](const std::string& t) { return t.find("-> diagnosing") != t.npos; }),
            1);

  // A third start finds nothing left to do.
  Agent c(db(), clock);
  ASSERT_TRUE(c.diagnoser->resume().ok());
  c.io.poll();
  EXPECT_TRUE(c.diagnoser->idle());
  EXPECT_EQ(c.diagnoser->stats().probes_started, 0U);
}

TEST_F(Diagnose, StopDropsTheQueueAndLetsRunningProbesFinish) {
  FakeResponder p1(silent), p2(silent);
  auto options = Agent::base_options();
  options.max_concurrent = 1;
  Agent a(db(), clock, options);
  const auto i1 = a.add_incident("127.0.0.1", p1.port());
  const auto i2 = a.add_incident("127.0.0.1", p2.port());
  a.diagnoser->on_incident(i1, Kind::opened);
  a.diagnoser->on_incident(i2, Kind::opened);
  ASSERT_TRUE(a.run_until([&] { return a.diagnoser->stats().in_flight == 1; }));
  a.diagnoser->stop();
  EXPECT_EQ(a.diagnoser->stats().abandoned, 1U);
  EXPECT_EQ(a.diagnoser->stats().queued, 0U);
  EXPECT_FALSE(a.diagnoser->idle());
  a.diagnoser->on_incident(a.add_incident("127.0.0.1", p2.port()), Kind::opened);  // ignored
  ASSERT_TRUE(a.run_until_idle());
  EXPECT_EQ(a.diagnoser->stats().probes_started, 1U);
  EXPECT_EQ(a.diagnoser->stats().probes_finished, 1U);
  EXPECT_EQ(a.probes(i1.id).size(), 1U);
  EXPECT_EQ(a.incident(i2.id).state, IncidentState::detected);
  EXPECT_TRUE(p2.received().empty());
  // Nothing left on the io_context: run() returns at once.
  a.io.restart();
  const auto start = std::chrono::steady_clock::now();
  a.io.run();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
}

TEST_F(Diagnose, DestroyingTheDiagnoserWhileAProbeRunsIsSafe) {
  FakeResponder peer(silent);
  Agent a(db(), clock);
  const auto inc = a.add_incident("127.0.0.1", peer.port());
  a.diagnoser->on_incident(inc, Kind::opened);
  ASSERT_TRUE(a.run_until([&] { return a.diagnoser->stats().in_flight == 1; }));
  a.diagnoser.reset();
  a.io.run();  // the probe finishes unobserved
  EXPECT_EQ(a.incident(inc.id).state, IncidentState::diagnosing);
  EXPECT_TRUE(a.probes(inc.id).empty());
}

TEST(DiagnoseOptions, ZeroCapsAreErrorsNotClamped) {
  EXPECT_TRUE(validate({}).ok());
  DiagnoseOptions o;
  o.max_concurrent = 0;
  EXPECT_NE(validate(o).error().message.find("max_concurrent"), std::string::npos);
  o = {};
  o.max_per_hour = 0;
  EXPECT_FALSE(validate(o).ok());
  o = {};
  o.timeout = Duration::zero();
  EXPECT_FALSE(validate(o).ok());
}

TEST_F(Diagnose, TheTimelineShowsTheProbeBetweenItsTransitions) {
  FakeResponder peer(xrdp_tls);
  Agent a(db(), clock);
  const auto id = a.fail("127.0.0.1", peer.port()).incident->id;
  ASSERT_TRUE(a.run_until_idle());
  auto t = timeline::build(*a.store, {}).value();
  std::vector<std::string> kinds;
  for (const auto& e : t.entries)
    kinds.push_back(e.kind + " " + e.summary.substr(0, e.summary.find(':')));
  // Every entry has the same ManualClock time: the order is causal, not accidental.
  EXPECT_EQ(kinds, (std::vector<std::string>{"transition new -> detected", "transition detected -> diagnosing",
                                             "probe probe 127.0.0.1", "transition diagnosing -> escalated"}));
  const auto& probe_entry = t.entries[2];
  EXPECT_EQ(probe_entry.incident_id, id);
  EXPECT_EQ(probe_entry.summary,
            "probe " + key(peer.port()) +
                ": tls-required (does not explain the failure), answers: SSL|HYBRID -> response "
                "SSL, SSL -> response SSL, RDP -> failure 1 SSL_REQUIRED_BY_SERVER [incident opened]");

  std::ostringstream jsonl;
  timeline::render(t, timeline::Format::jsonl, jsonl);
  std::istringstream lines(jsonl.str());
  std::vector<nlohmann::json> objects;
  for (std::string line; std::getline(lines, line);)
    objects.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(objects.size(), 4U);
  const auto& p = objects[2];
  EXPECT_EQ(p["kind"], "probe");
  EXPECT_EQ(p["incident"]["id"], id);
  EXPECT_EQ(p["probe"]["posture"], "tls-required");
  EXPECT_EQ(p["probe"]["explains_nego_failure"], false);
  EXPECT_EQ(p["probe"]["cause"], "incident opened");
  EXPECT_EQ(p["probe"]["result"]["answers"].size(), 3U);
  EXPECT_EQ(p["probe"]["result"]["answers"][2]["raw"], "030000130ed000001234000300080001000000");

  std::ostringstream csv;
  timeline::render(t, timeline::Format::csv, csv);
  EXPECT_NE(csv.str().find(",127.0.0.1,probe,,,,\"probe " + key(peer.port()) + ": tls-required"), std::string::npos)
      << csv.str();
}

}  // namespace
}  // namespace negoheal::diagnose
