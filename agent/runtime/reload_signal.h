#pragma once
// SIGHUP asks the agent to reload its config on POSIX. Windows has no SIGHUP: a service reloads
// through its control handler instead (not wired yet), so the seam adds nothing there.
#include <boost/asio/signal_set.hpp>

namespace negoheal::runtime {

void add_reload_signal(boost::asio::signal_set& signals);
bool is_reload_signal(int signal_number);

}  // namespace negoheal::runtime
