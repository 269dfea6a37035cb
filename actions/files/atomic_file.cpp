#include "actions/files/atomic_file.h"

#include <cstdio>
#include <fstream>
#include <random>
#include <system_error>

#include "actions/files/flush_file.h"
#include "core/timestamp.h"

namespace negoheal::actions {
namespace fs = std::filesystem;

namespace {

fs::path temporary_beside(const fs::path& path, std::string_view tag) {
  thread_local std::mt19937_64 rng(std::random_device{}());
  fs::path tmp = path;
  tmp += "." + std::string(tag) + "-" + std::to_string(rng() % 1000000000);
  return tmp;
}

// Flushes `tmp` and renames it over `to`: `to` is whole at every moment, old or new.
Status publish(const fs::path& tmp, const fs::path& to) {
  std::error_code ec;
  if (auto st = flush_file(tmp); !st) {
    fs::remove(tmp, ec);
    return st;
  }
  fs::rename(tmp, to, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    return make_error("cannot replace " + to.string() + ": " + ec.message());
  }
  return {};
}

// Copies `from` over `to` through a temporary and a rename. Not copy_file(overwrite_existing):
// MinGW's libstdc++ (GCC 12) refuses it with "File exists" whenever `to` exists, because Windows
// reports inode 0 for every file and any two files then look like the same one.
Status copy_over(const fs::path& from, const fs::path& to) {
  const fs::path tmp = temporary_beside(to, "copy");
  std::error_code ec;
  if (!fs::copy_file(from, tmp, ec)) {
    fs::remove(tmp, ec);
    return make_error("cannot copy " + from.string() + " to " + to.string() + ": " + ec.message());
  }
  return publish(tmp, to);
}

std::string backup_suffix(TimePoint now) {
  std::string ts = format_timestamp(now);
  for (char& c : ts) {
    if (c == ':') c = '-';
  }
  return "." + ts + ".bak";
}

}  // namespace

Result<std::string> read_whole_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("cannot open " + path.string());
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return make_error("cannot read " + path.string());
  return data;
}

Result<AtomicWriteOutcome> write_file_atomically(const fs::path& path, std::string_view content,
                                                 const AtomicWriteOptions& options) {
  AtomicWriteOutcome outcome;
  std::error_code ec;
  const bool existed = fs::exists(path, ec);
  if (existed && options.backup) {
    fs::path backup = path;
    backup += backup_suffix(options.now);
    if (auto st = copy_over(path, backup); !st) {
      return make_error("cannot back up " + path.string() + ": " + st.error().message);
    }
    outcome.backup = backup;
  }
  const fs::path tmp = temporary_beside(path, "tmp");
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return make_error("cannot create " + tmp.string());
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.flush();
    if (!out) {
      out.close();
      fs::remove(tmp, ec);
      return make_error("cannot write " + tmp.string() + " (disk full?)");
    }
  }
  if (existed) {
    // Keep the original's permissions on the replacement.
    fs::permissions(tmp, fs::status(path, ec).permissions(), ec);
  }
  if (auto st = publish(tmp, path); !st) return st.error();
  auto back = read_whole_file(path);
  Status verdict = back ? (back.value() == content ? Status{} : Status{make_error("content read back differs")})
                        : Status{back.error()};
  if (verdict && options.validate) verdict = options.validate(back.value());
  if (!verdict) {
    if (outcome.backup) {
      if (auto restored = copy_over(*outcome.backup, path); !restored) {
        return make_error("validation of " + path.string() + " failed (" + verdict.error().message +
                          ") and restoring " + outcome.backup->string() + " failed: " + restored.error().message);
      }
    }
    return make_error("validation of " + path.string() + " failed, original restored: " + verdict.error().message);
  }
  return outcome;
}

}  // namespace negoheal::actions
