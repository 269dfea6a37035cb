#pragma once
// File globs of the config (`C:/ProgramData/.../PAM-Proxy*.log`): `*` and `?` in the file name
// only. The folder part is literal, so one folder watch covers a pattern.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace negoheal::sources {

struct Glob {
  std::filesystem::path dir;
  std::string name;  // may hold * and ?
  [[nodiscard]] bool matches(std::string_view file_name) const;
};

// Errors: wildcards in the folder part, an empty file name.
Result<Glob> parse_glob(const std::filesystem::path& pattern);

// `*` any run (also empty), `?` one byte; case-insensitive where file names are (Windows).
bool glob_match(std::string_view p, std::string_view s, bool ignore_case);

// The regular files of glob.dir that match, sorted by name. A missing folder is no match.
std::vector<std::filesystem::path> expand_glob(const Glob& glob);

}  // namespace negoheal::sources
