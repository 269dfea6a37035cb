#include "agent/runtime/logging.h"

#include <spdlog/logger.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <nlohmann/json.hpp>

#include "core/timestamp.h"

namespace negoheal::runtime {
namespace {

// {"@timestamp":"...","log.level":"info","message":"..."}: ECS names, escaped by nlohmann.
class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    nlohmann::ordered_json j;
    const auto us = std::chrono::time_point_cast<std::chrono::microseconds>(msg.time);
    j["@timestamp"] = format_timestamp(TimePoint(us.time_since_epoch()));
    const auto level = spdlog::level::to_string_view(msg.level);
    j["log.level"] = std::string(level.data(), level.size());
    j["message"] = std::string(msg.payload.data(), msg.payload.size());
    const std::string line = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    dest.append(line.data(), line.data() + line.size());
  }
  [[nodiscard]] std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<JsonFormatter>(); }
};

}  // namespace

Status configure_logger(spdlog::logger& logger, std::string_view format, std::string_view level) {
  const auto lvl = spdlog::level::from_str(std::string(level));
  if (lvl == spdlog::level::off && level != "off") return make_error("unknown log level '" + std::string(level) + "'");
  if (format == "json") {
    logger.set_formatter(std::make_unique<JsonFormatter>());
  } else if (format == "text") {
    logger.set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %l %v");
  } else {
    return make_error("unknown log format '" + std::string(format) + "' (expected text or json)");
  }
  logger.set_level(lvl);
  return {};
}

Result<std::shared_ptr<spdlog::logger>> make_logger(std::string_view format, std::string_view level) {
  auto logger = std::make_shared<spdlog::logger>("negoheal", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  if (auto st = configure_logger(*logger, format, level); !st) return st.error();
  logger->flush_on(spdlog::level::trace);  // a crash must not eat the last lines
  return logger;
}

}  // namespace negoheal::runtime
