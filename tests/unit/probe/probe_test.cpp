// The probe against in-process peers on loopback: every row of the DOMAIN §6 table, then hostile
// servers. Time is measured with steady_clock around each probe; nothing sleeps.
#include "agent/probe/probe.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <random>

#include "agent/probe/async_probe.h"
#include "agent/probe/report.h"
#include "tests/unit/probe/fake_responder.h"

namespace negoheal::probe {
namespace {

using namespace std::chrono_literals;
using testing::Action;
using testing::bare_confirm;
using testing::Bytes;
using testing::confirm;
using testing::FakeResponder;
using Requested = std::optional<std::uint32_t>;

constexpr Duration k_timeout = 400ms;
// Scheduling noise on a loaded 2-core machine; a hang would blow far past it.
constexpr auto k_slack = 1500ms;

Action send(Bytes b) {
  return {Action::Kind::send, std::move(b)};
}
Action rsp(std::uint32_t selected) {
  return send(confirm(2, 0x01, selected));
}
Action failure(std::uint32_t code) {
  return send(confirm(3, 0, code));
}

// Peers from lab/README §3 (xrdp) and lab.sh winemu.py (Windows per MS-RDPBCGR).
Action windows_rdp_only(Requested r) {
  return r == 0U ? rsp(0) : failure(2);
}
Action xrdp_rdp(Requested) {
  return rsp(0);
}
Action xrdp_tls(Requested r) {
  return r == 0U ? failure(1) : rsp(1);
}
Action xrdp_negotiate(Requested r) {
  return r == 0U ? rsp(0) : rsp(1);
}
Action windows_nla(Requested r) {
  if (r && (*r & 8U) != 0) return rsp(8);
  if (r && (*r & 2U) != 0) return rsp(2);
  return failure(5);
}
Action no_certificate(Requested r) {
  return r == 0U ? rsp(0) : failure(3);
}
Action legacy(Requested) {
  return send(bare_confirm());
}

struct Run {
  Result<ProbeResult> result;
  std::chrono::milliseconds elapsed;
};

Run run_probe(const std::string& host, std::uint16_t port, Duration timeout = k_timeout) {
  boost::asio::io_context io;
  const auto start = std::chrono::steady_clock::now();
  auto r = probe(io, HostPort{host, port}, {.timeout = timeout});
  return {std::move(r),
          std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start)};
}

std::vector<Requested> requests_seen(const FakeResponder& peer) {
  std::vector<Requested> out;
  for (const auto& r : peer.received())
    out.push_back(r.requested);
  return out;
}

// The posture, the bound on time, and that no request ever went on to TLS.
void expect_probe(const FakeResponder::Behaviour& behaviour, Posture expected, std::size_t requests) {
  FakeResponder peer(behaviour);
  ASSERT_TRUE(peer.listening());
  const auto run = run_probe("127.0.0.1", peer.port());
  ASSERT_TRUE(run.result.ok()) << run.result.error().message;
  const auto& r = *run.result;
  EXPECT_EQ(posture_name(r.posture), posture_name(expected)) << to_json(r).dump();
  EXPECT_EQ(r.attempts.size(), requests) << to_json(r).dump();
  EXPECT_EQ(r.attempts.size() + r.skipped.size(), k_request_sequence.size());
  EXPECT_LT(run.elapsed, k_timeout * requests + k_slack);
  for (std::size_t i = 0; i < r.attempts.size(); ++i)
    EXPECT_EQ(r.attempts[i].requested, k_request_sequence[i]);
  for (const auto& a : r.attempts)
    EXPECT_LE(a.elapsed, std::chrono::duration_cast<std::chrono::milliseconds>(k_timeout) + k_slack);
  EXPECT_EQ(r.target, "127.0.0.1:" + std::to_string(peer.port()));
}

TEST(ProbeTable, RdpOnlyWindowsStyle) {
  expect_probe(windows_rdp_only, Posture::rdp_only, 3);
}
TEST(ProbeTable, RdpOnlyXrdpStyle) {
  expect_probe(xrdp_rdp, Posture::rdp_only, 3);
}
TEST(ProbeTable, NlaRequiredStopsAfterHybridRequired) {
  expect_probe(windows_nla, Posture::nla_required, 2);
}
TEST(ProbeTable, TlsRequired) {
  expect_probe(xrdp_tls, Posture::tls_required, 3);
}
TEST(ProbeTable, Negotiate) {
  expect_probe(xrdp_negotiate, Posture::negotiate, 3);
}
TEST(ProbeTable, CertificateProblem) {
  expect_probe(no_certificate, Posture::cert_problem, 2);
}
TEST(ProbeTable, LegacyStopsAfterTheFirstBareConfirm) {
  expect_probe(legacy, Posture::legacy, 1);
}

TEST(ProbeTable, SendsTheMinimalRequestsAndClosesWithoutTls) {
  FakeResponder peer(windows_rdp_only);
  const auto run = run_probe("127.0.0.1", peer.port());
  ASSERT_TRUE(run.result.ok());
  const auto seen = peer.received();
  ASSERT_EQ(seen.size(), 3U);
  EXPECT_EQ(requests_seen(peer), (std::vector<Requested>{3U, 1U, 0U}));
  for (std::size_t i = 0; i < seen.size(); ++i) {
    const auto expected = x224::build_connection_request(k_request_sequence[i]);
    EXPECT_EQ(seen[i].request, Bytes(expected.begin(), expected.end()));
    EXPECT_EQ(seen[i].bytes_after_request, 0U);
  }
  const auto& a = run.result->attempts.front();
  EXPECT_EQ(x224::to_hex(a.raw), "030000130ed000001234000300080002000000");
  EXPECT_TRUE(run.result->explains_nego_failure());
}

TEST(ProbeTable, UnreachablePortIsRefusedQuickly) {
  const auto run = run_probe("127.0.0.1", testing::unused_port());
  ASSERT_TRUE(run.result.ok());
  EXPECT_EQ(run.result->posture, Posture::unreachable);
  ASSERT_EQ(run.result->attempts.size(), 1U);
  EXPECT_EQ(run.result->attempts[0].outcome, Outcome::refused);
  EXPECT_LT(run.elapsed, k_timeout + k_slack);
}

// --- hostile peers ---------------------------------------------------------------------------

void expect_not_rdp(const FakeResponder::Behaviour& behaviour, std::initializer_list<Outcome> outcomes) {
  FakeResponder peer(behaviour);
  ASSERT_TRUE(peer.listening());
  const auto run = run_probe("127.0.0.1", peer.port());
  ASSERT_TRUE(run.result.ok()) << run.result.error().message;
  const auto& r = *run.result;
  EXPECT_EQ(r.posture, Posture::not_rdp) << to_json(r).dump();
  ASSERT_EQ(r.attempts.size(), 1U) << to_json(r).dump();
  EXPECT_NE(std::find(outcomes.begin(), outcomes.end(), r.attempts[0].outcome), outcomes.end()) << to_json(r).dump();
  EXPECT_LT(run.elapsed, k_timeout + k_slack);
  EXPECT_FALSE(r.explains_nego_failure());
}

TEST(ProbeHostile, SilentPeerHitsTheDeadline) {
  FakeResponder peer([](Requested) { return Action{Action::Kind::silent, {}}; });
  const auto run = run_probe("127.0.0.1", peer.port());
  ASSERT_TRUE(run.result.ok());
  EXPECT_EQ(run.result->posture, Posture::not_rdp);
  ASSERT_EQ(run.result->attempts.size(), 1U);
  EXPECT_EQ(run.result->attempts[0].outcome, Outcome::timeout);
  EXPECT_GE(run.elapsed, std::chrono::duration_cast<std::chrono::milliseconds>(k_timeout));
  EXPECT_LT(run.elapsed, k_timeout + k_slack);
}

TEST(ProbeHostile, ImmediateClose) {
  expect_not_rdp([](Requested) { return Action{Action::Kind::close_early, {}}; }, {Outcome::closed, Outcome::reset});
}

TEST(ProbeHostile, ResetAfterTheRequest) {
  expect_not_rdp([](Requested) { return Action{Action::Kind::reset, {}}; }, {Outcome::reset, Outcome::closed});
}

TEST(ProbeHostile, TpktLength65535) {
  expect_not_rdp(
      [](Requested) {
        return send(Bytes{0x03, 0x00, 0xff, 0xff, 0x0e, 0xd0, 0, 0, 0, 0, 0});
      },
      {Outcome::invalid});
}

TEST(ProbeHostile, TpktLength3) {
  expect_not_rdp([](Requested) { return send(Bytes{0x03, 0x00, 0x00, 0x03}); }, {Outcome::invalid});
}

TEST(ProbeHostile, TruncatedReplyWaitsOnlyUntilTheDeadline) {
  Bytes cut = confirm(3, 0, 2);
  cut.resize(12);
  expect_not_rdp([cut](Requested) { return send(cut); }, {Outcome::timeout});
}

TEST(ProbeHostile, WrongStructureLength) {
  Bytes bad = confirm(3, 0, 2);
  bad[13] = 0x10;
  expect_not_rdp([bad](Requested) { return send(bad); }, {Outcome::invalid});
}

TEST(ProbeHostile, ReplySplitIntoOneByteWritesStillDecodes) {
  expect_probe(
      [](Requested r) {
        return Action{Action::Kind::send_split, windows_rdp_only(r).bytes};
      },
      Posture::rdp_only, 3);
}

TEST(ProbeHostile, HttpServer) {
  const std::string http = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
  expect_not_rdp([http](Requested) { return send(Bytes(http.begin(), http.end())); }, {Outcome::invalid});
}

TEST(ProbeHostile, RandomBytes) {
  for (std::uint32_t seed = 1; seed <= 12; ++seed) {
    std::mt19937 rng(seed);
    Bytes junk(16 + rng() % 200);
    for (auto& b : junk)
      b = static_cast<std::uint8_t>(rng());
    // A leading 3 would make a plausible TPKT header; the other seeds cover invalid headers.
    junk[0] = seed % 3 == 0 ? 0x03 : junk[0];
    SCOPED_TRACE(seed);
    expect_not_rdp([junk](Requested) { return send(junk); }, {Outcome::invalid, Outcome::timeout});
  }
}

TEST(ProbeHostile, FullAcceptQueueIsAConnectTimeout) {
  // A listener that never accepts, with backlog 0 already filled: Linux drops further SYNs, so
  // the probe's connect hangs like against a filtered port.
  namespace asio = boost::asio;
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor(io);
  acceptor.open(asio::ip::tcp::v4());
  acceptor.bind({asio::ip::address_v4::loopback(), 0});
  acceptor.listen(0);
  std::vector<asio::ip::tcp::socket> fillers;
  for (int i = 0; i < 3; ++i) {
    fillers.emplace_back(io);
    fillers.back().async_connect(acceptor.local_endpoint(), [](const boost::system::error_code&) {});
  }
  const auto start = std::chrono::steady_clock::now();
  auto r = probe(io, HostPort{"127.0.0.1", acceptor.local_endpoint().port()}, {.timeout = k_timeout});
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->attempts.size(), 1U);
  if (r->attempts[0].outcome != Outcome::connect_timeout) GTEST_SKIP() << "this kernel completed the handshake";
  EXPECT_EQ(r->posture, Posture::unreachable);
  EXPECT_GE(elapsed, k_timeout);
  EXPECT_LT(elapsed, k_timeout + k_slack);
}

// --- addressing and API ------------------------------------------------------------------------

TEST(ProbeAddressing, Ipv6Loopback) {
  FakeResponder peer(xrdp_tls, /*v6=*/true);
  if (!peer.listening()) GTEST_SKIP() << "no IPv6 loopback here";
  const auto run = run_probe("::1", peer.port());
  ASSERT_TRUE(run.result.ok()) << run.result.error().message;
  EXPECT_EQ(run.result->posture, Posture::tls_required);
  EXPECT_EQ(run.result->target, "[::1]:" + std::to_string(peer.port()));
}

TEST(ProbeAddressing, HostNameIsResolved) {
  FakeResponder peer(xrdp_negotiate);
  const auto run = run_probe("localhost", peer.port());
  ASSERT_TRUE(run.result.ok()) << run.result.error().message;
  EXPECT_EQ(run.result->posture, Posture::negotiate) << to_json(*run.result).dump();
  EXPECT_EQ(run.result->target, "localhost:" + std::to_string(peer.port()));
  EXPECT_FALSE(run.result->addresses.empty());
}

TEST(ProbeAddressing, DefaultPortIs3389) {
  boost::asio::io_context io;
  // Nothing is expected to listen on 3389 in a test sandbox; only the target string matters.
  auto r = probe(io, HostPort{"127.0.0.1", std::nullopt}, {.timeout = 200ms});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->target, "127.0.0.1:3389");
}

TEST(ProbeApi, RejectsANonPositiveTimeout) {
  boost::asio::io_context io;
  EXPECT_FALSE(probe(io, HostPort{"127.0.0.1", 1}, {.timeout = Duration::zero()}).ok());
}

TEST(ProbeApi, SequentialProbesReuseOneIoContext) {
  FakeResponder rdp(windows_rdp_only);
  FakeResponder tls(xrdp_tls);
  boost::asio::io_context io;
  auto a = probe(io, HostPort{"127.0.0.1", rdp.port()}, {.timeout = k_timeout});
  auto b = probe(io, HostPort{"127.0.0.1", tls.port()}, {.timeout = k_timeout});
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(a->posture, Posture::rdp_only);
  EXPECT_EQ(b->posture, Posture::tls_required);
}

TEST(ProbeApi, ConcurrentAsyncProbesOnOneIoContext) {
  FakeResponder silent([](Requested) { return Action{Action::Kind::silent, {}}; });
  FakeResponder nla(windows_nla);
  boost::asio::io_context io;
  std::vector<std::string> postures(2);
  auto one = [](HostPort t, std::string* out) -> boost::asio::awaitable<void> {
    auto r = co_await async_probe(std::move(t), {.timeout = k_timeout});
    *out = r ? std::string(posture_name(r->posture)) : r.error().message;
  };
  const auto start = std::chrono::steady_clock::now();
  boost::asio::co_spawn(io, one(HostPort{"127.0.0.1", silent.port()}, &postures[0]), [](std::exception_ptr) {});
  boost::asio::co_spawn(io, one(HostPort{"127.0.0.1", nla.port()}, &postures[1]), [](std::exception_ptr) {});
  io.run();
  EXPECT_EQ(postures[0], "not-rdp");
  EXPECT_EQ(postures[1], "nla-required");
  // Concurrent, not one after the other: both fit in one deadline.
  EXPECT_LT(std::chrono::steady_clock::now() - start, k_timeout + k_slack);
}

TEST(ProbeJson, MatchesTheContract) {
  FakeResponder peer(windows_rdp_only);
  const auto run = run_probe("127.0.0.1", peer.port());
  ASSERT_TRUE(run.result.ok());
  const auto j = to_json(*run.result);
  std::vector<std::string> keys;
  for (auto it = j.begin(); it != j.end(); ++it)
    keys.push_back(it.key());
  ASSERT_GE(keys.size(), 4U);
  EXPECT_EQ((std::vector<std::string>(keys.begin(), keys.begin() + 4)),
            (std::vector<std::string>{"target", "posture", "answers", "explains_nego_failure"}));
  EXPECT_EQ(j["target"], "127.0.0.1:" + std::to_string(peer.port()));
  EXPECT_EQ(j["posture"], "rdp-only");
  EXPECT_EQ(j["explains_nego_failure"], true);
  ASSERT_EQ(j["answers"].size(), 3U);
  const auto& first = j["answers"][0];
  EXPECT_EQ(first["requested"], 3);
  EXPECT_EQ(first["reply"], "failure");
  EXPECT_EQ(first["code"], 2);
  EXPECT_EQ(first["name"], "SSL_NOT_ALLOWED_BY_SERVER");
  EXPECT_EQ(first["raw"], "030000130ed000001234000300080002000000");
  EXPECT_TRUE(first["elapsed_ms"].is_number_integer());
  const auto& last = j["answers"][2];
  EXPECT_EQ(last["requested"], 0);
  EXPECT_EQ(last["reply"], "response");
  EXPECT_EQ(last["selected"], 0);
  EXPECT_EQ(last["protocol"], "RDP");
}

}  // namespace
}  // namespace negoheal::probe
