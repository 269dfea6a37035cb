#include "agent/probe/exchange.h"

#include <array>
#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <memory>

#include "agent/probe/x224.h"

namespace negoheal::probe {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

// Shared with the deadline handler: a timer that fires late must never touch a dead socket.
struct Connection {
  explicit Connection(const asio::any_io_executor& ex) : socket(ex), timer(ex) {}
  tcp::socket socket;
  asio::steady_timer timer;
  bool expired = false;
};

void arm_deadline(const std::shared_ptr<Connection>& c, Duration timeout) {
  c->timer.expires_after(timeout);
  c->timer.async_wait([c](const error_code& ec) {
    if (ec) return;  // cancelled: the exchange finished first
    c->expired = true;
    error_code ignored;
    c->socket.close(ignored);  // aborts the pending connect/write/read
  });
}

// After the TCP connection: why no complete reply arrived.
void set_failure(Attempt& a, const Connection& c, const error_code& ec) {
  if (c.expired) {
    a.outcome = Outcome::timeout;
    a.error = "no complete reply within the deadline";
  } else if (ec == asio::error::eof) {
    a.outcome = Outcome::closed;
    a.error = "the peer closed the connection";
  } else if (ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
             ec == asio::error::connection_aborted) {
    a.outcome = Outcome::reset;
    a.error = "the peer reset the connection";
  } else {
    a.outcome = Outcome::closed;
    a.error = ec.message();
  }
}

asio::awaitable<void> run(Connection& c, const std::vector<tcp::endpoint>& endpoints, Attempt& a) {
  const auto token = [](error_code& ec) { return asio::redirect_error(asio::use_awaitable, ec); };
  error_code ec = asio::error::host_not_found;
  bool connected = false;
  for (const auto& ep : endpoints) {
    if (c.expired) break;
    error_code ignored;
    c.socket.close(ignored);
    c.socket.open(ep.protocol(), ec);
    if (ec) continue;
    co_await c.socket.async_connect(ep, token(ec));
    if (!ec) {
      connected = true;
      break;
    }
  }
  if (!connected) {
    a.outcome = c.expired ? Outcome::connect_timeout : Outcome::refused;
    a.error = c.expired ? "no TCP connection within the deadline" : "connect: " + ec.message();
    co_return;
  }
  const auto request = x224::build_connection_request(a.requested);
  co_await asio::async_write(c.socket, asio::buffer(request), token(ec));
  if (ec) {
    set_failure(a, c, ec);
    co_return;
  }

  std::array<std::uint8_t, x224::k_max_reply_size> buf{};
  std::size_t n = co_await asio::async_read(c.socket, asio::buffer(buf.data(), x224::k_tpkt_header_size), token(ec));
  a.raw.assign(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n));
  if (ec) {
    set_failure(a, c, ec);
    co_return;
  }
  const auto length = x224::decode_tpkt_header(std::span(buf.data(), x224::k_tpkt_header_size));
  if (!length) {
    a.outcome = Outcome::invalid;
    a.error = length.error().message;
    co_return;
  }
  // Exactly the announced length: a TPKT never shares a read with whatever follows it.
  n = co_await asio::async_read(c.socket, asio::buffer(buf.data() + n, *length - n), token(ec));
  a.raw.insert(a.raw.end(), buf.begin() + x224::k_tpkt_header_size,
               buf.begin() + static_cast<std::ptrdiff_t>(x224::k_tpkt_header_size + n));
  if (ec) {
    set_failure(a, c, ec);
    co_return;
  }
  auto answer = x224::decode_connection_confirm(std::span(buf.data(), *length));
  if (!answer) {
    a.outcome = Outcome::invalid;
    a.error = answer.error().message;
    co_return;
  }
  a.outcome = Outcome::answered;
  a.answer = *answer;
}

}  // namespace

asio::awaitable<Attempt> exchange(const std::vector<tcp::endpoint>& endpoints, std::uint32_t requested,
                                  Duration timeout) {
  const auto start = std::chrono::steady_clock::now();
  Attempt a;
  a.requested = requested;
  auto c = std::make_shared<Connection>(co_await asio::this_coro::executor);
  arm_deadline(c, timeout);
  co_await run(*c, endpoints, a);
  // Close at once, answered or not: the probe never goes on to TLS or CredSSP.
  c->timer.cancel();
  error_code ignored;
  c->socket.close(ignored);
  a.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  co_return a;
}

}  // namespace negoheal::probe
