#pragma once
// A small, strict command-line parser: declared options only, every error names the option.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace negoheal::cli {

struct OptionSpec {
  std::string_view name;   // "--db"
  std::string_view alias;  // "-c" or empty
  std::string_view value;  // metavariable ("FILE"); empty: a flag
  std::string_view help;
  bool repeatable = false;
};

struct CommandSpec {
  std::string_view name;
  std::string_view synopsis;  // "replay [-c FILE] --db FILE INPUT..."
  std::string_view description;
  std::vector<OptionSpec> options;
  std::string_view positional;  // "INPUT..." or empty
  std::size_t min_positional = 0;
  std::size_t max_positional = 0;  // 0 with a positional name: unlimited
};

class Args {
 public:
  static Result<Args> parse(const CommandSpec& spec, const std::vector<std::string>& argv);

  [[nodiscard]] bool has(std::string_view name) const { return values_.count(std::string(name)) != 0; }
  [[nodiscard]] std::optional<std::string> get(std::string_view name) const;
  [[nodiscard]] std::vector<std::string> all(std::string_view name) const;
  [[nodiscard]] const std::vector<std::string>& positional() const { return positional_; }
  [[nodiscard]] bool help() const { return help_; }

 private:
  std::map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> positional_;
  bool help_ = false;
};

std::string usage(const CommandSpec& spec);

}  // namespace negoheal::cli
