#pragma once
// One declarative table of configuration keys (Fluent Bit's config_map habit). It drives
// validation, `check-config`, `check-config --schema` (JSON Schema) and `help config`.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace negoheal::settings {

enum class KeyType {
  string,
  integer,
  boolean,
  duration,  // "10m", "250ms"
  string_list,
  object,       // children in `keys`
  object_list,  // array of objects discriminated by "type": one KeySpec per type in `variants`
  argv,         // array of strings, at least one; placeholders {host} {port} {fix} only as whole elements
  listen,       // "host:port" or "scheme://host:port"
};

struct KeySpec {
  std::string_view name;
  KeyType type = KeyType::string;
  std::string_view description;
  std::vector<std::string_view> choices = {};  // allowed strings (string or string_list items)
  std::vector<KeySpec> keys = {};              // object members, or the members of one variant
  std::vector<KeySpec> variants = {};          // object_list: one object spec per "type" value (name = type)
  bool required = false;
  std::int64_t min = 0;
  std::int64_t max = INT64_MAX;
  bool any_port = false;  // listen: port 0 (the system picks one, the agent logs it) is allowed
};

// The root object's members.
const std::vector<KeySpec>& config_schema();

struct ConfigError {
  std::string pointer;  // JSON pointer, "" for the root
  std::string reason;
};

// Every problem found (not just the first): unknown keys (listing the valid ones), wrong types,
// values out of range, invalid durations, patterns and placeholders.
std::vector<ConfigError> validate_config(const nlohmann::json& root);

nlohmann::json config_json_schema();
std::string config_keys_help();

}  // namespace negoheal::settings
