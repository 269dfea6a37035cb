#pragma once
// One Connection Request on its own TCP connection, under one deadline that covers connect, send
// and read. Internal to the probe; the daemon calls async_probe().
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <vector>

#include "agent/probe/classify.h"
#include "core/clock.h"

namespace negoheal::probe {

// Tries the endpoints in order until one connects. Every outcome is an Attempt (never an error).
boost::asio::awaitable<Attempt> exchange(const std::vector<boost::asio::ip::tcp::endpoint>& endpoints,
                                         std::uint32_t requested, Duration timeout);

}  // namespace negoheal::probe
