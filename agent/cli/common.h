#pragma once
// Helpers shared by subcommands: loading settings, opening the store, time filters.
#include <memory>
#include <optional>
#include <string>

#include "agent/cli/args.h"
#include "agent/cli/command.h"
#include "agent/settings/settings.h"
#include "agent/store/store.h"

namespace negoheal::cli {

// -c FILE, or the embedded default.
Result<settings::Settings> load_settings_arg(const Args& args);

// Opens an existing store for reading commands (a missing file is an error, not a new store).
Result<std::unique_ptr<store::Store>> open_existing_store(const std::string& path);

struct TimeFilter {
  std::optional<std::string> host;
  std::optional<TimePoint> since;
  std::optional<TimePoint> until;
};
Result<TimeFilter> time_filter(const Args& args);

int fail(Io& io, const std::string& message, int code = k_exit_failure);

}  // namespace negoheal::cli
