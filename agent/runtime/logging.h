#pragma once
// The agent's own log: spdlog to stderr, as text for a console or as one JSON object a line for a
// collector. The logger is built here and passed down explicitly (no global registry).
#include <memory>
#include <string_view>

#include "core/result.h"

namespace spdlog {
class logger;
}

namespace negoheal::runtime {

// format: "text" | "json"; level: trace | debug | info | warn | error.
Result<std::shared_ptr<spdlog::logger>> make_logger(std::string_view format, std::string_view level);

// Applies the config's log format and level to a logger made by make_logger (the agent starts
// with a text logger before its config is read).
Status configure_logger(spdlog::logger& logger, std::string_view format, std::string_view level);

}  // namespace negoheal::runtime
