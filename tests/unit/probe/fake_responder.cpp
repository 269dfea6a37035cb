#include "tests/unit/probe/fake_responder.h"

#include <array>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace negoheal::probe::testing {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

auto token(error_code& ec) {
  return asio::redirect_error(asio::use_awaitable, ec);
}

}  // namespace

Bytes confirm(std::uint8_t type, std::uint8_t flags, std::uint32_t value) {
  return {0x03,
          0x00,
          0x00,
          0x13,
          0x0e,
          0xd0,
          0x00,
          0x00,
          0x12,
          0x34,
          0x00,
          type,
          flags,
          0x08,
          0x00,
          static_cast<std::uint8_t>(value & 0xFFU),
          static_cast<std::uint8_t>((value >> 8U) & 0xFFU),
          static_cast<std::uint8_t>((value >> 16U) & 0xFFU),
          static_cast<std::uint8_t>((value >> 24U) & 0xFFU)};
}

Bytes bare_confirm() {
  return {0x03, 0x00, 0x00, 0x0b, 0x06, 0xd0, 0x00, 0x00, 0x12, 0x34, 0x00};
}

FakeResponder::FakeResponder(Behaviour behaviour, bool v6) : behaviour_(std::move(behaviour)), acceptor_(io_) {
  error_code ec;
  const tcp::endpoint ep(
      v6 ? asio::ip::address(asio::ip::address_v6::loopback()) : asio::ip::address(asio::ip::address_v4::loopback()),
      0);
  acceptor_.open(ep.protocol(), ec);
  if (!ec) acceptor_.bind(ep, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return;
  port_ = acceptor_.local_endpoint().port();
  listening_ = true;
  asio::co_spawn(io_, accept_loop(), asio::detached);
  thread_ = std::thread([this] { io_.run(); });
}

FakeResponder::~FakeResponder() {
  io_.stop();
  if (thread_.joinable()) thread_.join();
}

std::vector<Received> FakeResponder::received() const {
  std::lock_guard lock(mutex_);
  return received_;
}

std::size_t FakeResponder::record(Received r) {
  std::lock_guard lock(mutex_);
  received_.push_back(std::move(r));
  return received_.size() - 1;
}

void FakeResponder::update(std::size_t index, const std::function<void(Received&)>& change) {
  std::lock_guard lock(mutex_);
  change(received_[index]);
}

asio::awaitable<void> FakeResponder::accept_loop() {
  for (;;) {
    error_code ec;
    tcp::socket s = co_await acceptor_.async_accept(token(ec));
    if (ec) co_return;
    asio::co_spawn(io_, serve(std::move(s)), asio::detached);
  }
}

asio::awaitable<void> FakeResponder::serve(tcp::socket s) {
  error_code ec;
  const Action early = behaviour_(std::nullopt);
  if (early.kind == Action::Kind::close_early) {
    record({});
    s.close(ec);
    co_return;
  }
  Received r;
  std::array<std::uint8_t, 4> header{};
  co_await asio::async_read(s, asio::buffer(header), token(ec));
  if (ec) co_return;
  r.request.assign(header.begin(), header.end());
  const std::size_t length = (static_cast<std::size_t>(header[2]) << 8U) | header[3];
  if (length > 4 && length <= 512) {
    Bytes rest(length - 4);
    co_await asio::async_read(s, asio::buffer(rest), token(ec));
    if (ec) co_return;
    r.request.insert(r.request.end(), rest.begin(), rest.end());
  }
  if (r.request.size() == 19 && r.request[11] == 1) {
    r.requested = static_cast<std::uint32_t>(r.request[15]) | (static_cast<std::uint32_t>(r.request[16]) << 8U) |
                  (static_cast<std::uint32_t>(r.request[17]) << 16U) |
                  (static_cast<std::uint32_t>(r.request[18]) << 24U);
  }
  const std::size_t index = record(r);
  const Action action = behaviour_(r.requested);
  switch (action.kind) {
    case Action::Kind::send:
      co_await asio::async_write(s, asio::buffer(action.bytes), token(ec));
      break;
    case Action::Kind::send_split:
      s.set_option(tcp::no_delay(true), ec);
      for (const auto b : action.bytes) {
        co_await asio::async_write(s, asio::buffer(&b, 1), token(ec));
        if (ec) break;
      }
      break;
    case Action::Kind::reset:
      s.set_option(asio::socket_base::linger(true, 0), ec);
      s.close(ec);
      co_return;
    case Action::Kind::silent:
    case Action::Kind::close_early:
      break;
  }
  // Like a real server: wait for more (MCS, or a TLS ClientHello) until the client closes.
  std::array<std::uint8_t, 256> more{};
  for (;;) {
    const std::size_t n = co_await s.async_read_some(asio::buffer(more), token(ec));
    update(index, [&](Received& x) {
      x.bytes_after_request += n;
      if (ec) x.client_closed = true;
    });
    if (ec) co_return;
  }
}

std::uint16_t unused_port() {
  asio::io_context io;
  tcp::acceptor a(io, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
  return a.local_endpoint().port();
}

}  // namespace negoheal::probe::testing
