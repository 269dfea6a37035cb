#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "agent/sources/tail/shared_file.h"

namespace negoheal::sources {
namespace {

std::string error_text(const std::filesystem::path& path, const char* what) {
  return path.string() + ": " + what + ": " + std::generic_category().message(errno);
}

FileStat from_stat(const struct stat& st) {
  FileStat out;
  out.id = {static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino)};
  out.size = static_cast<std::uint64_t>(st.st_size);
  out.deleted = st.st_nlink == 0;
  return out;
}

}  // namespace

Result<SharedFile> SharedFile::open(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return make_error(error_text(path, "cannot open for reading"));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return make_error(path.string() + ": not a regular file");
  }
  return SharedFile(fd);
}

void SharedFile::close() noexcept {
  if (handle_ >= 0) ::close(static_cast<int>(handle_));
  handle_ = -1;
}

Result<FileStat> SharedFile::stat() const {
  struct stat st {};
  if (::fstat(static_cast<int>(handle_), &st) != 0)
    return make_error(std::string("fstat: ") + std::generic_category().message(errno));
  return from_stat(st);
}

Result<std::size_t> SharedFile::read_at(std::uint64_t offset, char* dst, std::size_t n) const {
  std::size_t done = 0;
  while (done < n) {
    const ssize_t got = ::pread(static_cast<int>(handle_), dst + done, n - done, static_cast<off_t>(offset + done));
    if (got < 0) {
      if (errno == EINTR) continue;
      return make_error(std::string("read: ") + std::generic_category().message(errno));
    }
    if (got == 0) break;
    done += static_cast<std::size_t>(got);
  }
  return done;
}

Result<FileStat> stat_path(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return make_error(error_text(path, "cannot stat"));
  if (!S_ISREG(st.st_mode)) return make_error(path.string() + ": not a regular file");
  return from_stat(st);
}

bool file_names_ignore_case() {
  return false;
}

}  // namespace negoheal::sources
