#include <csignal>

#include "agent/runtime/reload_signal.h"

namespace negoheal::runtime {

void add_reload_signal(boost::asio::signal_set& signals) {
  boost::system::error_code ignored;
  signals.add(SIGHUP, ignored);
}

bool is_reload_signal(int signal_number) {
  return signal_number == SIGHUP;
}

}  // namespace negoheal::runtime
