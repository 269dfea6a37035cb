#include "agent/http/exclusive_bind.h"

namespace negoheal::http {

void set_rebind_options(boost::asio::ip::tcp::acceptor& acceptor, boost::system::error_code& ec) {
  acceptor.set_option(boost::asio::socket_base::reuse_address(true), ec);
}

}  // namespace negoheal::http
