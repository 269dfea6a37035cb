#pragma once
// Binding the metrics port so that a restarted agent binds again at once but no other program can
// bind it too. POSIX: SO_REUSEADDR (only skips TIME_WAIT). Windows: SO_REUSEADDR would let another
// socket steal the port, and TIME_WAIT never blocks a bind there, so SO_EXCLUSIVEADDRUSE instead.
#include <boost/asio/ip/tcp.hpp>

namespace negoheal::http {

void set_rebind_options(boost::asio::ip::tcp::acceptor& acceptor, boost::system::error_code& ec);

}  // namespace negoheal::http
