#pragma once
// Writing a file the user owns: back it up, write a temporary beside it, flush it to disk, rename
// it over the original, then re-read it and validate the result. Either the new content is in
// place and verified, or the original is untouched (ccache's AtomicFile, with the checks added).
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"

namespace negoheal::actions {

struct AtomicWriteOptions {
  // Copy of the original written first ("<name>.<UTC timestamp>.bak"); skipped when the file does
  // not exist yet.
  bool backup = true;
  TimePoint now{};  // names the backup; injected so tests are deterministic
  // Called on the bytes read back after the rename; an error restores the backup.
  std::function<Status(std::string_view)> validate;
};

struct AtomicWriteOutcome {
  std::optional<std::filesystem::path> backup;
};

Result<AtomicWriteOutcome> write_file_atomically(const std::filesystem::path& path, std::string_view content,
                                                 const AtomicWriteOptions& options);

Result<std::string> read_whole_file(const std::filesystem::path& path);

}  // namespace negoheal::actions
