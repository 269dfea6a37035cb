// The /metrics server against a Beast client on real loopback sockets, both coroutines on one
// io_context that the test runs until the client's step is done (deadlines, never sleep); then the
// Prometheus text builder.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cmath>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agent/http/prometheus.h"
#include "agent/http/server.h"

namespace negoheal::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using asio::ip::tcp;
using boost::system::error_code;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Every client operation carries this deadline, so each step finishes well before k_give_up and no
// coroutine is left pointing at a finished test's locals. A hang would blow far past both.
constexpr auto k_client_timeout = 3s;
constexpr auto k_give_up = 10s;
constexpr const char* k_get = "GET /metrics?name[]=x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
constexpr const char* k_metrics = "negoheal_up 1\n";

auto token(error_code& ec) {
  return asio::redirect_error(asio::use_awaitable, ec);
}

// Runs the io_context until done() or k_give_up; false when it gave up or ran out of work first.
template <class Done>
bool run_until(asio::io_context& io, Done done) {
  const auto until = Clock::now() + k_give_up;
  while (!done()) {
    if (io.stopped()) io.restart();
    if (io.run_one_until(until) == 0) return done();
  }
  return true;
}

// Runs one client step (a coroutine returning a default-constructible T) to completion.
template <class T>
T run(asio::io_context& io, asio::awaitable<T> step) {
  auto out = std::make_shared<std::optional<T>>();
  asio::co_spawn(io, std::move(step), [out](const std::exception_ptr& e, T value) {
    if (!e) out->emplace(std::move(value));
  });
  const bool finished = run_until(io, [&] { return out->has_value(); });
  EXPECT_TRUE(finished) << "client step did not finish";
  return out->value_or(T{});
}

struct Reply {
  error_code ec;
  unsigned status = 0;
  std::string content_type;
  std::string allow;
  std::string content_length;  // the field as sent
  std::string body;
  bool keep_alive = false;
};

// One connection from the test's side.
class Client {
 public:
  explicit Client(asio::io_context& io) : io_(io), stream_(io) {}

  error_code connect(const tcp::endpoint& ep) {
    return run(io_, [](beast::tcp_stream& s, tcp::endpoint to) -> asio::awaitable<error_code> {
      error_code ec;
      s.expires_after(k_client_timeout);
      co_await s.async_connect(to, token(ec));
      co_return ec;
    }(stream_, ep));
  }
  error_code connect(std::uint16_t port) { return connect(tcp::endpoint(asio::ip::address_v4::loopback(), port)); }

  // Sends `raw` (if any), then reads one response; HEAD responses have a length but no body.
  Reply exchange(std::string raw, bool head = false) {
    return run(io_,
               [](beast::tcp_stream& s, beast::flat_buffer& buffer, std::string request,
                  bool skip_body) -> asio::awaitable<Reply> {
                 Reply r;
                 s.expires_after(k_client_timeout);
                 if (!request.empty()) {
                   co_await asio::async_write(s, asio::buffer(request), token(r.ec));
                   if (r.ec) co_return r;
                 }
                 bhttp::response_parser<bhttp::string_body> parser;
                 parser.skip(skip_body);
                 co_await bhttp::async_read(s, buffer, parser, token(r.ec));
                 if (r.ec) co_return r;
                 const auto& res = parser.get();
                 r.status = res.result_int();
                 r.content_type = std::string(res[bhttp::field::content_type]);
                 r.allow = std::string(res[bhttp::field::allow]);
                 r.content_length = std::string(res[bhttp::field::content_length]);
                 r.body = res.body();
                 r.keep_alive = res.keep_alive();
                 co_return r;
               }(stream_, buffer_, std::move(raw), head));
  }

  struct Closed {
    error_code ec;
    std::chrono::milliseconds after{};
  };
  // Reads until the server closes (or k_client_timeout); how long that took.
  Closed wait_closed() {
    const auto start = Clock::now();
    const auto result = run(io_, [](beast::tcp_stream& s, beast::flat_buffer& buffer) -> asio::awaitable<error_code> {
      error_code ec;
      s.expires_after(k_client_timeout);
      while (!ec) {
        buffer.consume(buffer.size());
        co_await s.async_read_some(buffer.prepare(1024), token(ec));
      }
      co_return ec;
    }(stream_, buffer_));
    return {result, std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start)};
  }

 private:
  asio::io_context& io_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
};

// The server closed the connection, as opposed to the client giving up.
bool closed_by_server(const error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
         ec == asio::error::connection_aborted;
}

class HttpServerTest : public ::testing::Test {
 protected:
  std::unique_ptr<HttpServer>& start(ServerOptions options = {}, std::string listen = "127.0.0.1:0") {
    auto started = HttpServer::start(
        io_, listen,
        [this](std::string_view path) {
          paths_.emplace_back(path);
          if (path == "/metrics") return Response{.body = k_metrics};
          if (path == "/throw") throw std::runtime_error("handler failed");
          return Response{.status = 404, .content_type = "text/plain; charset=utf-8", .body = "not found\n"};
        },
        options);
    EXPECT_TRUE(started.ok()) << (started.ok() ? "" : started.error().message);
    if (started.ok()) server_ = std::move(*started);
    return server_;
  }

  asio::io_context io_;
  std::vector<std::string> paths_;
  std::unique_ptr<HttpServer> server_;  // after io_: destroyed before it
};

TEST_F(HttpServerTest, GetReturnsTheHandlersBodyAndContentType) {
  ASSERT_TRUE(start());
  ASSERT_NE(server_->port(), 0);
  Client c(io_);
  ASSERT_FALSE(c.connect(server_->port()));
  const auto r = c.exchange(k_get);
  ASSERT_FALSE(r.ec) << r.ec.message();
  EXPECT_EQ(r.status, 200U);
  EXPECT_EQ(r.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(r.body, k_metrics);
  EXPECT_EQ(paths_, std::vector<std::string>{"/metrics"});  // the query string stripped
}

TEST_F(HttpServerTest, HeadReturnsTheLengthButNoBody) {
  ASSERT_TRUE(start());
  Client c(io_);
  ASSERT_FALSE(c.connect(server_->port()));
  const auto head = c.exchange("HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n", true);
  ASSERT_FALSE(head.ec) << head.ec.message();
  EXPECT_EQ(head.status, 200U);
  EXPECT_EQ(head.content_length, std::to_string(std::string(k_metrics).size()));
  EXPECT_EQ(head.body, "");
  // Nothing of a body followed: the next response on the connection parses cleanly.
  const auto get = c.exchange(k_get);
  ASSERT_FALSE(get.ec) << get.ec.message();
  EXPECT_EQ(get.body, k_metrics);
}

TEST_F(HttpServerTest, HandlerStatusPassesThrough) {
  ASSERT_TRUE(start());
  Client c(io_);
  ASSERT_FALSE(c.connect(server_->port()));
  const auto r = c.exchange("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_FALSE(r.ec) << r.ec.message();
  EXPECT_EQ(r.status, 404U);
  EXPECT_EQ(r.body, "not found\n");
  EXPECT_TRUE(r.keep_alive);
}

TEST_F(HttpServerTest, HandlerExceptionIsA500) {
  ASSERT_TRUE(start());
  Client c(io_);
  ASSERT_FALSE(c.connect(server_->port()));
  const auto r = c.exchange("GET /throw HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_FALSE(r.ec) << r.ec.message();
  EXPECT_EQ(r.status, 500U);
}

TEST_F(HttpServerTest, AbsoluteFormTargetGivesThePath) {
  ASSERT_TRUE(start());
  Client c(io_);
  ASSERT_FALSE(c.connect(server_->port()));
  const auto r = c.exchange("GET http://127.0.0.1:9464/metrics?a=b HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_FALSE(r.ec) << r.ec.message();
  EXPECT_EQ(r.status, 200U);
  EXPECT_EQ(paths_, std::vector<std::string>{"/metrics"});
}

TEST_F(HttpServerTest, PostIs405WithAllow) {
  ASSERT_TRUE(start());
  Client c(io_);
  ASSERT_FALSE(c.connect(server_->port()));
  const auto r = c.exchange("POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi");
  ASSERT_FALSE(r.ec) << r.ec.message();
  EXPECT_EQ(r.status, 405U);
  EXPECT_EQ(r.allow, "GET, HEAD");
  EXPECT_FALSE(r.keep_alive);
  EXPECT_TRUE(closed_by_server(c.wait_closed().ec));
  EXPECT_TRUE(paths_.empty());
}

TEST_F(HttpServerTest, RequestBodyIsRejectedAndClosed) {
  ASSERT_TRUE(start());
  Client c(io_);
  ASSERT_FALSE(c.connect(server_->port()));
  const auto r = c.exchange("GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
  ASSERT_FALSE(r.ec) << r.ec.message();
  EXPECT_EQ(r.status, 413U);
  EXPECT_TRUE(closed_by_server(c.wait_closed().ec));
  EXPECT_TRUE(paths_.empty());
}

TEST_F(HttpServerTest, OversizedHeaderIsRejectedAndClosed) {
  ASSERT_TRUE(start({.max_header_bytes = 1024}));
  Client c(io_);
  ASSERT_FALSE(c.connect(server_->port()));
  const auto r = c.exchange("GET /metrics HTTP/1.1\r\nHost: x\r\nX-Filler: " + std::string(4000, 'a') + "\r\n\r\n");
  // Either the 431 arrived, or the close overtook it; never a 200.
  if (r.ec) {
    EXPECT_TRUE(closed_by_server(r.ec)) << r.ec.message();
  } else {
    EXPECT_EQ(r.status, 431U);
    EXPECT_TRUE(closed_by_server(c.wait_closed().ec));
  }
  EXPECT_TRUE(paths_.empty());
}

TEST_F(HttpServerTest, HeaderJustUnderTheLimitIsServed) {
  ASSERT_TRUE(start({.max_header_bytes = 1024}));
  Client c(io_);
  ASSERT_FALSE(c.connect(server_->port()));
  const auto r = c.exchange("GET /metrics HTTP/1.1\r\nHost: x\r\nX-Filler: " + std::string(900, 'a') + "\r\n\r\n");
  ASSERT_FALSE(r.ec) << r.ec.message();
  EXPECT_EQ(r.status, 200U);
}

TEST_F(HttpServerTest, MalformedRequestIs400) {
  ASSERT_TRUE(start());
  Client c(io_);
  ASSERT_FALSE(c.connect(server_->port()));
  const auto r = c.exchange("GET /metrics HTTP/1.1\r\nHost x\r\n\r\n");
  ASSERT_FALSE(r.ec) << r.ec.message();
  EXPECT_EQ(r.status, 400U);
  EXPECT_TRUE(closed_by_server(c.wait_closed().ec));
}

TEST_F(HttpServerTest, IdleClientIsDroppedAfterReadTimeout) {
  ASSERT_TRUE(start({.read_timeout = 100ms}));
  Client c(io_);
  ASSERT_FALSE(c.connect(server_->port()));
  const auto closed = c.wait_closed();
  EXPECT_TRUE(closed_by_server(closed.ec)) << closed.ec.message();
  EXPECT_GE(closed.after, 50ms);
  EXPECT_LT(closed.after, 2s);  // well before the client's own 3 s deadline
  EXPECT_TRUE(run_until(io_, [&] { return server_->open_connections() == 0; }));
}

TEST_F(HttpServerTest, KeepAliveIdleConnectionIsDroppedToo) {
  ASSERT_TRUE(start({.read_timeout = 100ms}));
  Client c(io_);
  ASSERT_FALSE(c.connect(server_->port()));
  ASSERT_EQ(c.exchange(k_get).status, 200U);
  const auto closed = c.wait_closed();
  EXPECT_TRUE(closed_by_server(closed.ec)) << closed.ec.message();
  EXPECT_LT(closed.after, 2s);
}

TEST_F(HttpServerTest, ConnectionsBeyondTheCapAreClosedAndCounted) {
  ASSERT_TRUE(start({.max_connections = 2}));
  Client a(io_);
  Client b(io_);
  Client c(io_);
  ASSERT_FALSE(a.connect(server_->port()));
  ASSERT_FALSE(b.connect(server_->port()));
  ASSERT_TRUE(run_until(io_, [&] { return server_->open_connections() == 2; }));
  ASSERT_FALSE(c.connect(server_->port()));
  const auto closed = c.wait_closed();
  EXPECT_TRUE(closed_by_server(closed.ec)) << closed.ec.message();
  EXPECT_EQ(server_->rejected_connections(), 1U);
  // The admitted ones still work.
  EXPECT_EQ(a.exchange(k_get).status, 200U);
  EXPECT_EQ(b.exchange(k_get).status, 200U);
}

TEST_F(HttpServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
  ASSERT_TRUE(start());
  Client c(io_);
  ASSERT_FALSE(c.connect(server_->port()));
  const auto first = c.exchange(k_get);
  const auto second = c.exchange(k_get);
  ASSERT_FALSE(first.ec) << first.ec.message();
  ASSERT_FALSE(second.ec) << second.ec.message();
  EXPECT_TRUE(first.keep_alive);
  EXPECT_EQ(second.body, k_metrics);
  EXPECT_EQ(paths_.size(), 2U);
  EXPECT_EQ(server_->open_connections(), 1U);
}

TEST_F(HttpServerTest, PipelinedRequestsAreAnsweredInOrder) {
  ASSERT_TRUE(start());
  Client c(io_);
  ASSERT_FALSE(c.connect(server_->port()));
  const auto first = c.exchange(std::string(k_get) + "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n");
  const auto second = c.exchange("");
  EXPECT_EQ(first.status, 200U);
  EXPECT_EQ(second.status, 404U);
}

TEST_F(HttpServerTest, Http10WithoutKeepAliveIsClosedAfterTheResponse) {
  ASSERT_TRUE(start());
  Client c(io_);
  ASSERT_FALSE(c.connect(server_->port()));
  const auto r = c.exchange("GET /metrics HTTP/1.0\r\n\r\n");
  ASSERT_FALSE(r.ec) << r.ec.message();
  EXPECT_EQ(r.body, k_metrics);
  EXPECT_FALSE(r.keep_alive);
  EXPECT_TRUE(closed_by_server(c.wait_closed().ec));
}

TEST_F(HttpServerTest, StopClosesOpenKeepAliveConnections) {
  ASSERT_TRUE(start());
  Client c(io_);
  ASSERT_FALSE(c.connect(server_->port()));
  ASSERT_EQ(c.exchange(k_get).status, 200U);
  const auto port = server_->port();
  server_->stop();
  server_->stop();  // idempotent
  const auto closed = c.wait_closed();
  EXPECT_TRUE(closed_by_server(closed.ec)) << closed.ec.message();
  EXPECT_LT(closed.after, 2s);
  EXPECT_TRUE(run_until(io_, [&] { return server_->open_connections() == 0; }));
  Client late(io_);
  EXPECT_TRUE(late.connect(port));  // nobody listens any more
  EXPECT_EQ(paths_.size(), 1U);
}

TEST_F(HttpServerTest, DestroyingTheServerLetsTheIoContextFinish) {
  ASSERT_TRUE(start());
  Client c(io_);
  ASSERT_FALSE(c.connect(server_->port()));
  ASSERT_EQ(c.exchange(k_get).status, 200U);
  server_.reset();
  EXPECT_TRUE(closed_by_server(c.wait_closed().ec));
  // No accept loop, session or timer of the server is left holding the io_context.
  io_.restart();
  const auto start_time = Clock::now();
  io_.run_for(k_client_timeout);
  EXPECT_LT(Clock::now() - start_time, 2s);
}

TEST_F(HttpServerTest, BadListenStringsAreErrorsNamingTheAddress) {
  const auto handler = [](std::string_view) { return Response{}; };
  for (const std::string listen : {"", "127.0.0.1", "127.0.0.1:", ":9464", "127.0.0.1:65536", "127.0.0.1:x",
                                   "[::1:9464", "a;b:9464", "host name:9464", "::1:0", "127.0.0.1:9464 "}) {
    const auto started = HttpServer::start(io_, listen, handler);
    ASSERT_FALSE(started.ok()) << "'" << listen << "' was accepted";
    EXPECT_EQ(started.error().message.rfind("cannot listen on '" + listen + "': ", 0), 0U) << started.error().message;
  }
  const auto no_handler = HttpServer::start(io_, "127.0.0.1:0", Handler{});
  EXPECT_FALSE(no_handler.ok());
  const auto no_connections = HttpServer::start(io_, "127.0.0.1:0", handler, {.max_connections = 0});
  EXPECT_FALSE(no_connections.ok());
}

TEST_F(HttpServerTest, PortInUseIsAnErrorNamingTheAddress) {
  ASSERT_TRUE(start());
  const std::string taken = "127.0.0.1:" + std::to_string(server_->port());
  const auto second = HttpServer::start(io_, taken, [](std::string_view) { return Response{}; });
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().message.rfind("cannot listen on '" + taken + "': ", 0), 0U) << second.error().message;
  EXPECT_GT(second.error().message.size(), ("cannot listen on '" + taken + "': ").size());
}

TEST_F(HttpServerTest, LocalhostPortZeroPicksAPort) {
  ASSERT_TRUE(start({}, "localhost:0"));
  EXPECT_NE(server_->port(), 0);
}

TEST_F(HttpServerTest, ServesIpv6Loopback) {
  auto started = HttpServer::start(io_, "[::1]:0", [](std::string_view) { return Response{.body = "ok\n"}; });
  if (!started.ok()) GTEST_SKIP() << "no IPv6 loopback here: " << started.error().message;
  server_ = std::move(*started);
  Client c(io_);
  ASSERT_FALSE(c.connect(tcp::endpoint(asio::ip::address_v6::loopback(), server_->port())));
  const auto r = c.exchange(k_get);
  ASSERT_FALSE(r.ec) << r.ec.message();
  EXPECT_EQ(r.body, "ok\n");
}

// --- Prometheus text ---

TEST(PrometheusText, FamilyHeadersThenSamples) {
  PrometheusText p;
  p.family("negoheal_events_total", "counter", "Failure events read from the proxy logs.");
  p.sample("negoheal_events_total", std::uint64_t{3}, {{"source", "freerdp"}});
  p.sample("negoheal_events_total", std::uint64_t{0}, {{"source", "nps"}, {"format", "jsonl"}});
  p.family("negoheal_open_incidents", "gauge", "Incidents not yet resolved.");
  p.sample("negoheal_open_incidents", 2.5);
  EXPECT_EQ(p.text(),
            "# HELP negoheal_events_total Failure events read from the proxy logs.\n"
            "# TYPE negoheal_events_total counter\n"
            "negoheal_events_total{source=\"freerdp\"} 3\n"
            "negoheal_events_total{source=\"nps\",format=\"jsonl\"} 0\n"
            "# HELP negoheal_open_incidents Incidents not yet resolved.\n"
            "# TYPE negoheal_open_incidents gauge\n"
            "negoheal_open_incidents 2.5\n");
}

TEST(PrometheusText, EscapesLabelValuesAndHelp) {
  PrometheusText p;
  p.family("m", "gauge", "a \\ b\nc \"quoted\"");
  p.sample("m", std::uint64_t{1}, {{"path", "C:\\logs\\\"x\"\nnext"}});
  EXPECT_EQ(p.text(),
            "# HELP m a \\\\ b\\nc \"quoted\"\n"
            "# TYPE m gauge\n"
            "m{path=\"C:\\\\logs\\\\\\\"x\\\"\\nnext\"} 1\n");
}

TEST(PrometheusText, IntegersAreExact) {
  PrometheusText p;
  p.family("big", "counter", "h");
  p.sample("big", (std::uint64_t{1} << 53U) + 1U);
  p.sample("big", std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(p.text(), "# HELP big h\n# TYPE big counter\nbig 9007199254740993\nbig 18446744073709551615\n");
}

TEST(PrometheusText, DoublesRoundTripAndSpecialValues) {
  PrometheusText p;
  p.family("g", "gauge", "h");
  p.sample("g", std::numeric_limits<double>::quiet_NaN());
  p.sample("g", std::numeric_limits<double>::infinity());
  p.sample("g", -std::numeric_limits<double>::infinity());
  p.sample("g", 0.1);
  p.sample("g", 1e300);
  p.sample("g", 123456789.0);
  p.sample("g", -0.5);
  EXPECT_EQ(p.text(), "# HELP g h\n# TYPE g gauge\ng NaN\ng +Inf\ng -Inf\ng 0.1\ng 1e+300\ng 123456789\ng -0.5\n");
  const double awkward = 0.1 + 0.2;
  PrometheusText q;
  q.family("g", "gauge", "h");
  q.sample("g", awkward);
  const auto& text = q.text();
  const auto value = text.substr(text.rfind(' ') + 1);
  EXPECT_EQ(std::stod(value), awkward) << value;
}

TEST(PrometheusText, EmptyLabelValueAndEmptyHelp) {
  PrometheusText p;
  p.family("m", "gauge", "");
  p.sample("m", std::uint64_t{7}, {{"host", ""}});
  EXPECT_EQ(p.text(), "# HELP m \n# TYPE m gauge\nm{host=\"\"} 7\n");
}

}  // namespace
}  // namespace negoheal::http
