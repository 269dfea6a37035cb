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
    if (!fs::copy_file(path, backup, fs::copy_options::overwrite_existing, ec)) {
      return make_error("cannot back up " + path.string() + " to " + backup.string() + ": " + ec.message());
    }
    outcome.backup = backup;
  }
  std::mt19937_64 rng(std::random_device{}());
  fs::path tmp = path;
  tmp += ".tmp-" + std::to_string(rng() % 1000000000);
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
  if (auto st = flush_file(tmp); !st) {
    fs::remove(tmp, ec);
    return st.error();
  }
  if (existed) {
    // Keep the original's permissions on the replacement.
    fs::permissions(tmp, fs::status(path, ec).permissions(), ec);
  }
  fs::rename(tmp, path, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    return make_error("cannot replace " + path.string() + ": " + ec.message());
  }
  auto back = read_whole_file(path);
  Status verdict = back ? (back.value() == content ? Status{} : Status{make_error("content read back differs")})
                        : Status{back.error()};
  if (verdict && options.validate) verdict = options.validate(back.value());
  if (!verdict) {
    if (outcome.backup) {
      std::error_code restore_ec;
      fs::copy_file(*outcome.backup, path, fs::copy_options::overwrite_existing, restore_ec);
      if (restore_ec) {
        return make_error("validation of " + path.string() + " failed (" + verdict.error().message +
                          ") and restoring " + outcome.backup->string() + " failed: " + restore_ec.message());
      }
    }
    return make_error("validation of " + path.string() + " failed, original restored: " + verdict.error().message);
  }
  return outcome;
}

}  // namespace negoheal::actions
