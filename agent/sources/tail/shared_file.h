#pragma once
// A log file opened for reading while its writer keeps writing, renaming and deleting it. On
// Windows that needs FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, or the proxy could not
// rotate its log while the agent holds it; on POSIX any open file allows that. Reads are
// positional, so the handle has no cursor to get wrong.
#include <cstdint>
#include <filesystem>
#include <memory>

#include "core/result.h"

namespace negoheal::sources {

// What stays the same across renames of one file: st_dev/st_ino, or the volume serial number and
// file index on Windows.
struct FileId {
  std::uint64_t device = 0;
  std::uint64_t index = 0;
  friend bool operator==(const FileId&, const FileId&) = default;
};

struct FileStat {
  FileId id;
  std::uint64_t size = 0;
  bool deleted = false;  // no name links to it any more (POSIX st_nlink == 0)
};

class SharedFile {
 public:
  static Result<SharedFile> open(const std::filesystem::path& path);

  SharedFile(SharedFile&& other) noexcept;
  SharedFile& operator=(SharedFile&& other) noexcept;
  SharedFile(const SharedFile&) = delete;
  SharedFile& operator=(const SharedFile&) = delete;
  ~SharedFile();

  [[nodiscard]] Result<FileStat> stat() const;
  // Up to `n` bytes at `offset`; fewer only at end of file.
  [[nodiscard]] Result<std::size_t> read_at(std::uint64_t offset, char* dst, std::size_t n) const;

 private:
  explicit SharedFile(std::intptr_t handle) : handle_(handle) {}
  void close() noexcept;
  std::intptr_t handle_ = -1;  // fd, or a HANDLE
};

// The identity of the file a path names now, without opening it (symlinks followed).
Result<FileStat> stat_path(const std::filesystem::path& path);

// Whether file names compare case-insensitively on this platform (globs follow it).
bool file_names_ignore_case();

}  // namespace negoheal::sources
