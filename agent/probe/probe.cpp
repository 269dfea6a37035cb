#include "agent/probe/probe.h"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <memory>
#include <optional>

#include "agent/probe/async_probe.h"
#include "agent/probe/exchange.h"
#include "core/duration.h"

namespace negoheal::probe {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;
using Endpoints = std::vector<tcp::endpoint>;

// The resolver's completion may come long after the deadline (getaddrinfo cannot be interrupted),
// so the state it writes to outlives the coroutine; the timer doubles as the wake-up signal.
struct Resolution {
  explicit Resolution(const asio::any_io_executor& ex) : resolver(ex), timer(ex) {}
  tcp::resolver resolver;
  asio::steady_timer timer;
  bool done = false;
  error_code ec;
  Endpoints endpoints;
};

asio::awaitable<Result<Endpoints>> resolve(std::string host, std::uint16_t port, Duration timeout) {
  if (host_kind(host) != HostKind::name) {
    error_code ec;
    const auto address = asio::ip::make_address(host, ec);
    if (ec) co_return make_error("invalid address '" + host + "'");
    co_return Endpoints{tcp::endpoint(address, port)};
  }
  auto r = std::make_shared<Resolution>(co_await asio::this_coro::executor);
  r->timer.expires_after(timeout);
  r->resolver.async_resolve(host, std::to_string(port),
                            [r](const error_code& ec, const tcp::resolver::results_type& results) {
                              r->done = true;
                              r->ec = ec;
                              for (const auto& entry : results)
                                r->endpoints.push_back(entry.endpoint());
                              r->timer.cancel();
                            });
  error_code ignored;
  co_await r->timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  if (!r->done) {
    r->resolver.cancel();
    co_return make_error("cannot resolve '" + host + "': no answer within " + format_duration(timeout));
  }
  if (r->ec) co_return make_error("cannot resolve '" + host + "': " + r->ec.message());
  if (r->endpoints.empty()) co_return make_error("cannot resolve '" + host + "': no address");
  co_return std::move(r->endpoints);
}

// co_spawn needs a default-constructible result, so the outcome travels through shared state
// (shared: it must outlive probe() if `io` is stopped and run again later).
struct SyncState {
  std::optional<Result<ProbeResult>> result;
  std::optional<std::string> failure;
  bool finished = false;
};

asio::awaitable<void> run_into(std::shared_ptr<SyncState> out, HostPort target, ProbeOptions options) {
  out->result.emplace(co_await async_probe(std::move(target), options));
}

}  // namespace

asio::awaitable<Result<ProbeResult>> async_probe(HostPort target, ProbeOptions options) {
  const auto start = std::chrono::steady_clock::now();
  if (options.timeout <= Duration::zero()) co_return make_error("the probe timeout must be positive");
  const std::uint16_t port = target.port.value_or(options.default_port);
  if (port == 0) co_return make_error("port 0 cannot be probed");
  ProbeResult result;
  result.target = format_host_port(target.host, port);
  auto endpoints = co_await resolve(target.host, port, options.timeout);
  if (!endpoints) co_return endpoints.error();
  for (const auto& ep : *endpoints)
    result.addresses.push_back(ep.address().to_string());
  for (auto next = next_request(result.attempts); next; next = next_request(result.attempts)) {
    result.attempts.push_back(co_await exchange(*endpoints, *next, options.timeout));
  }
  for (const auto requested : k_request_sequence) {
    const bool sent = std::any_of(result.attempts.begin(), result.attempts.end(),
                                  [&](const Attempt& a) { return a.requested == requested; });
    if (!sent) result.skipped.push_back(requested);
  }
  auto classification = classify(result.attempts);
  result.posture = classification.posture;
  result.note = std::move(classification.note);
  result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  co_return result;
}

Result<ProbeResult> probe(asio::io_context& io, const HostPort& target, const ProbeOptions& options) {
  auto out = std::make_shared<SyncState>();
  asio::co_spawn(io, run_into(out, target, options), [out](const std::exception_ptr& e) {
    if (e) out->failure = describe_failure(e);
    out->finished = true;
  });
  if (io.stopped()) io.restart();
  // run_one, not run: return as soon as this probe is done even if `io` has other work.
  while (!out->finished && io.run_one() > 0) {
  }
  if (out->result) return std::move(*out->result);
  return make_error(out->failure.value_or("probe did not complete: the io_context was stopped"));
}

std::string describe_failure(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& x) {
    return std::string("probe failed: ") + x.what();
  } catch (...) {
    return "probe failed: unknown exception";
  }
}

}  // namespace negoheal::probe
