#pragma once
// Shared test helpers: temporary directories, files, running the real binary.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

namespace negoheal::testing {

inline std::filesystem::path source_dir() {
  return NEGOHEAL_SOURCE_DIR;
}
inline std::filesystem::path data_dir() {
  return source_dir() / "tests" / "data";
}

// ../shared next to the checkout (read-only in CI). Tests that need it skip when it is absent.
inline std::filesystem::path shared_dir() {
  return source_dir().parent_path() / "shared";
}

class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() / ("negoheal-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  [[nodiscard]] std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

inline void write_file(const std::filesystem::path& p, const std::string& content) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << content;
}

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The std::system command line that runs `exe args` with stdout and stderr going to files. The
// shell is `sh -c` on POSIX and `cmd /c` on Windows; cmd drops the first and the last quote of a
// line that starts with one, hence the extra pair there. The binary's path is made absolute in the
// native spelling: the Windows lane hands over "/work/.../negoheal.exe", Z:\work\... under wine.
inline std::string shell_command(const std::filesystem::path& exe, const std::string& args,
                                 const std::filesystem::path& out, const std::filesystem::path& err) {
  const auto native_exe = std::filesystem::absolute(exe).make_preferred();
  std::string cmd =
      "\"" + native_exe.string() + "\" " + args + " > \"" + out.string() + "\" 2> \"" + err.string() + "\"";
  if constexpr (std::filesystem::path::preferred_separator == '\\') cmd = "\"" + cmd + "\"";
  return cmd;
}

struct Run {
  int code = -1;
  std::string out, err;
};

// Runs the real negoheal binary with `args` (already quoted as a shell would need), capturing
// its output in `dir`. std::system is portable (the Windows lane runs this under wine).
inline Run run_negoheal(const std::filesystem::path& dir, const std::string& args) {
  const auto out = dir / "stdout.txt";
  const auto err = dir / "stderr.txt";
  const std::string cmd = shell_command(NEGOHEAL_BINARY, args, out, err);
  int rc = std::system(cmd.c_str());
  // POSIX returns a wait status (code << 8); Windows the code itself.
  if (rc > 255 && (rc & 0xff) == 0) rc >>= 8;
  return {rc, read_file(out), read_file(err)};
}

}  // namespace negoheal::testing
