#include "agent/sources/tail/glob.h"

#include <algorithm>

#include "agent/sources/tail/shared_file.h"

namespace negoheal::sources {
namespace {

char fold(char c, bool ignore_case) {
  return ignore_case && c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace

bool glob_match(std::string_view p, std::string_view s, bool ignore_case) {
  // Iterative matcher with one backtrack point: linear for the patterns people write.
  std::size_t pi = 0, si = 0, star = std::string_view::npos, mark = 0;
  while (si < s.size()) {
    // Fix: '*' is tested first. Compared as a byte first, it matched a '*' in the name literally
    // ("a*" failed on "a*b", possible on POSIX) before it could act as a wildcard.
    if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      mark = si;
    } else if (pi < p.size() && (p[pi] == '?' || fold(p[pi], ignore_case) == fold(s[si], ignore_case))) {
      ++pi;
      ++si;
    } else if (star != std::string_view::npos) {
      pi = star + 1;
      si = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*')
    ++pi;
  return pi == p.size();
}

bool Glob::matches(std::string_view file_name) const {
  return glob_match(name, file_name, file_names_ignore_case());
}

Result<Glob> parse_glob(const std::filesystem::path& pattern) {
  Glob g;
  g.dir = pattern.parent_path();
  g.name = pattern.filename().string();
  if (g.name.empty()) return make_error(pattern.string() + ": names a folder, not files");
  if (g.dir.string().find_first_of("*?") != std::string::npos)
    return make_error(pattern.string() + ": wildcards are allowed in the file name only");
  if (g.dir.empty()) g.dir = ".";
  return g;
}

std::vector<std::filesystem::path> expand_glob(const Glob& glob) {
  std::vector<std::filesystem::path> out;
  std::error_code ec;
  std::filesystem::directory_iterator it(glob.dir, ec);
  if (ec) return out;
  for (const auto& entry : it) {
    std::error_code fec;
    if (!entry.is_regular_file(fec)) continue;
    if (glob.matches(entry.path().filename().string())) out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace negoheal::sources
