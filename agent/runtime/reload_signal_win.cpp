#include "agent/runtime/reload_signal.h"

namespace negoheal::runtime {

void add_reload_signal(boost::asio::signal_set& /*signals*/) {}

bool is_reload_signal(int /*signal_number*/) {
  return false;
}

}  // namespace negoheal::runtime
