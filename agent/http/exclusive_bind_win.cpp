#include <winsock2.h>

#include "agent/http/exclusive_bind.h"

namespace negoheal::http {

void set_rebind_options(boost::asio::ip::tcp::acceptor& acceptor, boost::system::error_code& ec) {
  using exclusive_address_use = boost::asio::detail::socket_option::boolean<SOL_SOCKET, SO_EXCLUSIVEADDRUSE>;
  acceptor.set_option(exclusive_address_use(true), ec);
}

}  // namespace negoheal::http
