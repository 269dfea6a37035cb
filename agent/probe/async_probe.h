#pragma once
// The coroutine form of probe(), for callers already running on an io_context (the daemon).
// Needs the negoheal_boost compile options (Boost 1.74's awaitable.hpp lacks <utility>).
#include <boost/asio/awaitable.hpp>

#include "agent/probe/probe.h"

namespace negoheal::probe {

// Same contract as probe(); runs on the awaiting coroutine's executor. Reports failures as
// Result values; only std::bad_alloc can still propagate (co_spawn turns it into an exception_ptr).
boost::asio::awaitable<Result<ProbeResult>> async_probe(HostPort target, ProbeOptions options);

}  // namespace negoheal::probe
