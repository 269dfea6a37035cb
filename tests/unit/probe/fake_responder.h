#pragma once
// An in-process RDP-ish peer on loopback port 0, on its own io_context thread, that answers each
// X.224 Connection Request the way a test tells it to: real CC bytes, or hostile behaviour.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace negoheal::probe::testing {

using Bytes = std::vector<std::uint8_t>;

struct Action {
  enum class Kind {
    send,         // write `bytes`, then wait for the client to close
    send_split,   // the same, one byte per write
    silent,       // read the request, never answer
    close_early,  // close as soon as the connection is accepted, without reading
    reset,        // read the request, then reset the connection (SO_LINGER 0)
  };
  Kind kind = Kind::send;
  Bytes bytes;
};

// A CC carrying an RDP_NEG_RSP (type 2) or RDP_NEG_FAILURE (type 3), as xrdp frames it.
Bytes confirm(std::uint8_t type, std::uint8_t flags, std::uint32_t value);
Bytes bare_confirm();

struct Received {
  std::optional<std::uint32_t> requested;  // nullopt: not a minimal CR with RDP_NEG_REQ
  Bytes request;
  std::size_t bytes_after_request = 0;  // anything the client sent after the CR (TLS would show here)
  bool client_closed = false;           // the client closed first (EOF seen)
};

class FakeResponder {
 public:
  using Behaviour = std::function<Action(std::optional<std::uint32_t> requested)>;

  // Listens on 127.0.0.1 (or ::1) port 0. Check listening() when v6 may be unavailable.
  explicit FakeResponder(Behaviour behaviour, bool v6 = false);
  ~FakeResponder();
  FakeResponder(const FakeResponder&) = delete;
  FakeResponder& operator=(const FakeResponder&) = delete;

  [[nodiscard]] bool listening() const { return listening_; }
  [[nodiscard]] std::uint16_t port() const { return port_; }
  [[nodiscard]] std::vector<Received> received() const;

 private:
  boost::asio::awaitable<void> accept_loop();
  boost::asio::awaitable<void> serve(boost::asio::ip::tcp::socket socket);
  std::size_t record(Received r);
  void update(std::size_t index, const std::function<void(Received&)>& change);

  Behaviour behaviour_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  bool listening_ = false;
  mutable std::mutex mutex_;
  std::vector<Received> received_;
  std::thread thread_;
};

// A loopback port with nothing listening (bound, then released).
std::uint16_t unused_port();

}  // namespace negoheal::probe::testing
