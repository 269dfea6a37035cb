#include "agent/http/server.h"

#include <algorithm>
#include <array>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <exception>
#include <limits>
#include <list>
#include <optional>
#include <utility>
#include <vector>

#include "agent/http/exclusive_bind.h"
#include "core/host.h"

namespace negoheal::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using asio::ip::tcp;
using boost::system::error_code;
using namespace std::chrono_literals;

struct ServerState {
  struct Listener {
    explicit Listener(asio::io_context& io) : acceptor(io), backoff(io) {}
    tcp::acceptor acceptor;
    asio::steady_timer backoff;
  };

  ServerState(Handler h, ServerOptions o) : handler(std::move(h)), options(o) {}
  Handler handler;
  ServerOptions options;
  std::vector<std::unique_ptr<Listener>> listeners;
  std::list<beast::tcp_stream*> connections;  // every open one, so that stop() can close them
  std::uint16_t port = 0;
  std::uint64_t rejected = 0;
  bool stopped = false;
};

namespace {

using Listener = ServerState::Listener;

// Accept errors that are not a close (out of descriptors, mostly) repeat at once: pause, not spin.
constexpr auto k_accept_backoff = 100ms;
// After an error reply the client may still be sending; reading what it sends (bounded) before
// closing keeps the kernel from answering with an RST that would destroy the reply.
constexpr auto k_linger = 1000ms;
constexpr std::size_t k_linger_bytes = std::size_t{64} * 1024;
// Bytes of a pipelined next request that may share the buffer with a complete header.
constexpr std::size_t k_buffer_slack = 1024;
constexpr const char* k_plain = "text/plain; charset=utf-8";

auto token(error_code& ec) {
  return asio::redirect_error(asio::use_awaitable, ec);
}

// The coroutines catch everything themselves; this only marks the spot where co_spawn would hand
// over an exception (std::bad_alloc creating a frame), which costs one connection, nothing more.
void ignore_exception(const std::exception_ptr& /*unused*/) {}

// Registered in the state for as long as it lives: counted against max_connections from the
// moment it is accepted (co_spawn starts the coroutine later), closed by stop().
class Connection {
 public:
  Connection(std::shared_ptr<ServerState> state, tcp::socket socket)
      : state_(std::move(state)), stream_(std::move(socket)) {
    entry_ = state_->connections.insert(state_->connections.end(), &stream_);
  }
  ~Connection() { state_->connections.erase(entry_); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  Connection(Connection&&) = delete;
  Connection& operator=(Connection&&) = delete;

  [[nodiscard]] ServerState& state() const { return *state_; }
  beast::tcp_stream& stream() { return stream_; }

 private:
  std::shared_ptr<ServerState> state_;
  beast::tcp_stream stream_;
  std::list<beast::tcp_stream*>::iterator entry_;
};

using HttpResponse = bhttp::response<bhttp::string_body>;

HttpResponse error_response(bhttp::status status, std::string body) {
  HttpResponse res{status, 11};
  res.set(bhttp::field::content_type, k_plain);
  res.body() = std::move(body);
  res.keep_alive(false);
  res.prepare_payload();
  return res;
}

bool valid_field_value(std::string_view value) {
  return std::none_of(value.begin(), value.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\t') || u == 0x7f;
  });
}

// origin-form "/p?q" or absolute-form "http://host/p?q" (RFC 9112 3.2): the path, or nullopt.
std::optional<std::string_view> request_path(std::string_view target) {
  target = target.substr(0, target.find('?'));
  if (target.starts_with('/')) return target;
  for (const std::string_view scheme : {"http://", "https://"}) {
    if (!target.starts_with(scheme)) continue;
    const auto slash = target.find('/', scheme.size());
    return slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
  }
  return std::nullopt;
}

Response call_handler(ServerState& state, std::string_view path) {
  try {
    return state.handler(path);
  } catch (...) {  // whatever the handler throws, the client gets an answer and the server goes on
    return {.status = 500, .content_type = k_plain, .body = "internal error\n"};
  }
}

HttpResponse make_response(const bhttp::request<bhttp::empty_body>& req, Response r) {
  if (r.status < 200 || r.status > 599 || !valid_field_value(r.content_type)) {
    r = {.status = 500, .content_type = k_plain, .body = "internal error: invalid response\n"};
  }
  HttpResponse res;
  res.version(req.version());
  res.result(r.status);
  res.keep_alive(req.keep_alive());
  if (r.status == 204 || r.status == 304) return res;  // no body, no length (RFC 9110 8.6)
  res.set(bhttp::field::content_type, r.content_type);
  // HEAD: the length GET would have, no body.
  res.content_length(r.body.size());
  if (req.method() != bhttp::verb::head) res.body() = std::move(r.body);
  return res;
}

asio::awaitable<void> close_connection(Connection& c, bool linger) {
  auto& stream = c.stream();
  error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (linger && !ec) {
    std::array<char, 1024> sink{};
    std::size_t drained = 0;
    stream.expires_after(std::min<std::chrono::milliseconds>(c.state().options.read_timeout, k_linger));
    while (!ec && !c.state().stopped && drained < k_linger_bytes) {
      drained += co_await stream.async_read_some(asio::buffer(sink), token(ec));
    }
  }
  stream.close();
}

// Sends an error reply, then closes: what is left of the request is not worth reading.
asio::awaitable<void> reject(Connection& c, HttpResponse res) {
  error_code ec;
  c.stream().expires_after(c.state().options.read_timeout);
  co_await bhttp::async_write(c.stream(), res, token(ec));
  co_await close_connection(c, !ec);
}

bool is_parse_error(const error_code& ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category() &&
         ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message;
}

asio::awaitable<void> session(Connection& c) {
  ServerState& state = c.state();
  auto& stream = c.stream();
  beast::flat_buffer buffer(state.options.max_header_bytes + k_buffer_slack);
  for (;;) {
    bhttp::request_parser<bhttp::empty_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(
        std::min<std::size_t>(state.options.max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
    error_code ec;
    // One deadline for the whole header, however slowly it trickles in; also the keep-alive idle limit.
    stream.expires_after(state.options.read_timeout);
    co_await bhttp::async_read_header(stream, buffer, parser, token(ec));
    if (state.stopped) co_return;
    if (ec == bhttp::error::header_limit || ec == bhttp::error::buffer_overflow) {
      co_await reject(c, error_response(bhttp::status::request_header_fields_too_large, "request header too large\n"));
      co_return;
    }
    if (is_parse_error(ec)) {
      co_await reject(c, error_response(bhttp::status::bad_request, "bad request\n"));
      co_return;
    }
    if (ec) co_return;  // closed, reset or timed out: nobody to answer

    const auto& req = parser.get();
    // The parser is done after the header only when the request has no body.
    const bool has_body = !parser.is_done();
    if (req.method() != bhttp::verb::get && req.method() != bhttp::verb::head) {
      auto res = error_response(bhttp::status::method_not_allowed, "method not allowed\n");
      res.set(bhttp::field::allow, "GET, HEAD");
      co_await reject(c, std::move(res));
      co_return;
    }
    if (has_body) {
      co_await reject(c, error_response(bhttp::status::payload_too_large, "request bodies are not accepted\n"));
      co_return;
    }
    const auto target = req.target();
    const auto path = request_path(std::string_view(target.data(), target.size()));
    if (!path) {
      co_await reject(c, error_response(bhttp::status::bad_request, "bad request target\n"));
      co_return;
    }

    auto res = make_response(req, call_handler(state, *path));
    // The handler may have stopped the server; its connections are closed then.
    if (state.stopped) co_return;
    stream.expires_after(state.options.read_timeout);
    co_await bhttp::async_write(stream, res, token(ec));
    if (ec || state.stopped) co_return;
    if (!res.keep_alive()) {
      co_await close_connection(c, false);
      co_return;
    }
  }
}

asio::awaitable<void> serve(std::unique_ptr<Connection> c) {
  try {
    co_await session(*c);
  } catch (const std::exception&) {
    // std::bad_alloc, or a Beast precondition: drop this connection, keep the server.
  }
  c->stream().close();
}

void admit(const std::shared_ptr<ServerState>& state, tcp::socket socket) {
  if (state->connections.size() >= state->options.max_connections) {
    ++state->rejected;
    error_code ignored;
    socket.close(ignored);
    return;
  }
  auto c = std::make_unique<Connection>(state, std::move(socket));
  auto ex = c->stream().get_executor();
  asio::co_spawn(ex, serve(std::move(c)), ignore_exception);
}

asio::awaitable<void> accept_loop(std::shared_ptr<ServerState> state, Listener& listener) {
  for (;;) {
    bool pause = false;
    try {
      error_code ec;
      tcp::socket socket = co_await listener.acceptor.async_accept(token(ec));
      if (state->stopped) co_return;
      if (ec) {
        pause = true;
      } else {
        admit(state, std::move(socket));
      }
    } catch (const std::exception&) {
      pause = true;
    }
    if (pause) {
      error_code ignored;
      listener.backoff.expires_after(k_accept_backoff);
      co_await listener.backoff.async_wait(token(ignored));
      if (state->stopped) co_return;
    }
  }
}

// Control characters from a bad config value must not reach a terminal through the message.
std::string shown(std::string_view text) {
  std::string out(text.substr(0, 100));
  for (char& ch : out) {
    if (static_cast<unsigned char>(ch) < 0x20 || static_cast<unsigned char>(ch) == 0x7f) ch = '?';
  }
  return text.size() > 100 ? out + "..." : out;
}

struct ListenAddress {
  std::string host;  // normalized
  std::uint16_t port = 0;
};

// parse_host_port() takes ports 1-65535; a listen address may also say 0 (any free port).
Result<ListenAddress> parse_listen(std::string_view listen) {
  if (listen.ends_with(":0")) {
    const auto host = listen.substr(0, listen.size() - 2);
    // "name:0", "v4:0", "[v6]:0"; a bare "::1:0" stays what it is everywhere else, an IPv6 literal.
    if (host.find(':') == std::string_view::npos || (host.starts_with('[') && host.ends_with(']'))) {
      auto parsed = parse_host_port(host);
      if (!parsed) return parsed.error();
      return ListenAddress{std::move(parsed->host), 0};
    }
  }
  auto parsed = parse_host_port(listen);
  if (!parsed) return parsed.error();
  if (!parsed->port) return make_error("no port (host:port, [v6]:port; port 0 picks a free one)");
  return ListenAddress{std::move(parsed->host), *parsed->port};
}

// A name is resolved once, synchronously: this runs at start-up, before the io thread serves.
Result<std::vector<tcp::endpoint>> resolve(asio::io_context& io, const ListenAddress& a) {
  std::vector<tcp::endpoint> out;
  error_code ec;
  if (host_kind(a.host) != HostKind::name) {
    const auto address = asio::ip::make_address(a.host, ec);
    if (ec) return make_error("invalid address '" + a.host + "'");
    out.emplace_back(address, a.port);
    return out;
  }
  tcp::resolver resolver(io);
  const auto results = resolver.resolve(a.host, std::to_string(a.port),
                                        tcp::resolver::numeric_service | tcp::resolver::address_configured, ec);
  if (ec) return make_error("cannot resolve '" + a.host + "': " + ec.message());
  for (const auto& entry : results) {
    if (std::find(out.begin(), out.end(), entry.endpoint()) == out.end()) out.push_back(entry.endpoint());
  }
  if (out.empty()) return make_error("cannot resolve '" + a.host + "': no address");
  return out;
}

error_code open_listener(Listener& l, const tcp::endpoint& ep) {
  error_code ec;
  l.acceptor.open(ep.protocol(), ec);
  // "[::]:p" must not take the IPv4 port too: "localhost" binds ::1 and 127.0.0.1 separately.
  if (!ec && ep.address().is_v6()) l.acceptor.set_option(asio::ip::v6_only(true), ec);
  // A restarted daemon must bind again while the connections it closed sit in TIME_WAIT.
  if (!ec) set_rebind_options(l.acceptor, ec);
  if (!ec) l.acceptor.bind(ep, ec);
  if (!ec) l.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  return ec;
}

// Names the address only when the listen string stands for several.
std::string describe(const tcp::endpoint& ep, const error_code& ec, bool several) {
  if (!several) return ec.message();
  return format_host_port(ep.address().to_string(), ep.port()) + ": " + ec.message();
}

}  // namespace

Result<std::unique_ptr<HttpServer>> HttpServer::start(asio::io_context& io, std::string_view listen, Handler handler,
                                                      ServerOptions options) {
  const auto fail = [&](const std::string& why) {
    return make_error("cannot listen on '" + shown(listen) + "': " + why);
  };
  if (!handler) return fail("no request handler");
  if (options.read_timeout <= 0ms || options.max_connections == 0 || options.max_header_bytes == 0)
    return fail("read_timeout, max_connections and max_header_bytes must be positive");
  auto address = parse_listen(listen);
  if (!address) return fail(address.error().message);
  auto endpoints = resolve(io, *address);
  if (!endpoints) return fail(endpoints.error().message);

  auto state = std::make_shared<ServerState>(std::move(handler), options);
  std::optional<std::string> first_error;
  for (auto ep : *endpoints) {
    if (state->port != 0) ep.port(state->port);
    auto listener = std::make_unique<Listener>(io);
    const auto ec = open_listener(*listener, ep);
    if (ec) {
      // A port someone else holds is a conflict; an address family this host lacks (a name with
      // an IPv6 address, IPv6 off) is not; with port 0, a later address may collide by chance
      // with another program's port, so serve on the addresses that worked.
      if (ec == asio::error::address_in_use && address->port != 0) return fail(describe(ep, ec, endpoints->size() > 1));
      if (!first_error) first_error = describe(ep, ec, endpoints->size() > 1);
      continue;
    }
    if (state->port == 0) {
      error_code ignored;
      state->port = listener->acceptor.local_endpoint(ignored).port();
    }
    state->listeners.push_back(std::move(listener));
  }
  if (state->listeners.empty()) return fail(first_error.value_or("no address"));

  for (const auto& listener : state->listeners)
    asio::co_spawn(io, accept_loop(state, *listener), ignore_exception);
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(state)));
}

HttpServer::HttpServer(std::shared_ptr<ServerState> state) : state_(std::move(state)) {}

HttpServer::~HttpServer() {
  stop();
}

std::uint16_t HttpServer::port() const {
  return state_->port;
}

std::size_t HttpServer::open_connections() const {
  return state_->connections.size();
}

std::uint64_t HttpServer::rejected_connections() const {
  return state_->rejected;
}

void HttpServer::stop() {
  auto& state = *state_;
  if (state.stopped) return;
  state.stopped = true;
  for (const auto& listener : state.listeners) {
    error_code ignored;
    listener->acceptor.close(ignored);
    try {
      listener->backoff.cancel();
    } catch (const std::exception&) {
      // Only a failing OS call could throw; the backoff then ends on its own within 100 ms.
    }
  }
  // Each coroutine sees its operation aborted, finds `stopped`, and removes itself from the list.
  for (auto* stream : state.connections)
    stream->close();
}

}  // namespace negoheal::http
