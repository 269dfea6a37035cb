#pragma once
// A small HTTP/1.1 server for /metrics and /healthz on the daemon's io_context: GET and HEAD only,
// bounded connections, bounded headers, no request bodies, a deadline on every read and write.
// Meant for a loopback or management address, not for the open internet (no TLS, no auth).
//
// @par Thread safety: everything, the handler included, runs on the thread running the
// io_context; call stop() and the destructor there too, or while the io_context is not running.
// Destroy the server before the io_context.
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"

namespace negoheal::http {

struct Response {
  unsigned status = 200;  // outside 200-599 becomes 500; 204 and 304 drop the body
  std::string content_type = "text/plain; version=0.0.4; charset=utf-8";
  std::string body;
};

// Gets the request target without its query string, as sent (not percent-decoded), e.g. "/metrics".
// Runs on the io_context thread: keep it short. An exception from it becomes a 500.
using Handler = std::function<Response(std::string_view path)>;

struct ServerOptions {
  std::chrono::milliseconds read_timeout{5000};  // per request header, and per response write
  std::size_t max_connections = 16;              // more are accepted and closed at once
  std::size_t max_header_bytes = 8192;           // request line and fields; beyond it: 431 and close
};

struct ServerState;  // server.cpp

class HttpServer {
 public:
  // listen: "127.0.0.1:9464", "[::1]:9464", "localhost:0" (port 0: the system picks one). A name
  // is resolved once, synchronously (a start-up call), and each of its addresses is listened on,
  // all on one port. Errors (bad address, port in use, no address) name the listen string.
  static Result<std::unique_ptr<HttpServer>> start(boost::asio::io_context& io, std::string_view listen,
                                                   Handler handler, ServerOptions options = {});

  ~HttpServer();  // stops
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;
  HttpServer(HttpServer&&) = delete;
  HttpServer& operator=(HttpServer&&) = delete;

  [[nodiscard]] std::uint16_t port() const;  // the bound port

  // Closes the listening sockets and every open connection; the handler is not called again.
  // Idempotent. Coroutines still winding down finish on the io_context's next run.
  void stop();

  [[nodiscard]] std::size_t open_connections() const;
  [[nodiscard]] std::uint64_t rejected_connections() const;  // closed at once: max_connections reached

 private:
  explicit HttpServer(std::shared_ptr<ServerState> state);

  // Shared with the connection coroutines, which may outlive the server until they wind down.
  std::shared_ptr<ServerState> state_;
};

}  // namespace negoheal::http
