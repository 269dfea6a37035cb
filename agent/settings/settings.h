#pragma once
// The validated configuration as typed values. A user file is validated against the schema
// table, then merged over the embedded default (config/negoheal.json) with JSON merge-patch
// semantics: objects merge key by key, arrays and scalars replace.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/correlate/correlator.h"
#include "core/clock.h"
#include "core/result.h"
#include "parsers/log_parser.h"

namespace negoheal::settings {

struct FileSource {
  std::vector<std::string> paths;  // absolute, or relative to the config file's folder
  parsers::InputFormat format = parsers::InputFormat::automatic;
  std::vector<std::string> line_formats;
  std::vector<std::string> context_patterns;
  std::optional<std::chrono::seconds> local_time_offset;
  Duration poll_interval = std::chrono::seconds(1);
  Duration rotate_wait = std::chrono::seconds(5);
  std::size_t max_line_bytes = 64u << 10;
};

using Correlation = correlate::Options;

struct Probe {
  bool enabled = true;
  std::uint16_t port = 3389;
  Duration timeout = std::chrono::seconds(3);
  Duration min_interval = std::chrono::minutes(5);
  std::size_t max_concurrent = 2;
  std::size_t max_per_hour = 60;
};

struct Log {
  std::string level = "info";
  std::string format = "text";
};

struct Settings {
  std::string origin;              // file path, or "(embedded default)"
  std::filesystem::path base_dir;  // relative paths are resolved against it
  std::vector<FileSource> file_sources;
  std::filesystem::path store_path;
  Correlation correlation;
  Probe probe;
  std::string remediation_mode = "dry-run";
  std::string http_listen;  // empty: no HTTP endpoint
  Log log;
  nlohmann::json document;  // the merged, validated document

  [[nodiscard]] std::filesystem::path resolve(const std::filesystem::path& p) const;
};

std::string_view embedded_default_config();

// Errors list every problem, one per line: "FILE: /json/pointer: reason".
Result<Settings> load_settings(const std::filesystem::path& file);
Result<Settings> default_settings();
Result<Settings> settings_from_text(std::string_view text, const std::string& origin,
                                    const std::filesystem::path& base_dir);

Result<std::chrono::seconds> parse_utc_offset(std::string_view text);

}  // namespace negoheal::settings
