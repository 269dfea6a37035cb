#include <windows.h>

#include <string>

#include "agent/sources/tail/shared_file.h"

namespace negoheal::sources {
namespace {

HANDLE as_handle(std::intptr_t h) {
  return reinterpret_cast<HANDLE>(h);  // NOLINT(performance-no-int-to-ptr): the handle is stored as an integer
}

std::string error_text(const std::filesystem::path& path, const char* what) {
  return path.string() + ": " + what + " (Windows error " + std::to_string(GetLastError()) + ")";
}

// Sharing everything lets the proxy rename, truncate and delete its log while we hold it.
HANDLE open_shared(const std::filesystem::path& path, DWORD access) {
  return CreateFileW(path.c_str(), access, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                     OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr);
}

Result<FileStat> stat_handle(HANDLE h) {
  BY_HANDLE_FILE_INFORMATION info{};
  if (!GetFileInformationByHandle(h, &info))
    return make_error("GetFileInformationByHandle failed (Windows error " + std::to_string(GetLastError()) + ")");
  FileStat out;
  out.id.device = info.dwVolumeSerialNumber;
  out.id.index = (static_cast<std::uint64_t>(info.nFileIndexHigh) << 32) | info.nFileIndexLow;
  out.size = (static_cast<std::uint64_t>(info.nFileSizeHigh) << 32) | info.nFileSizeLow;
  out.deleted = info.nNumberOfLinks == 0;
  return out;
}

}  // namespace

Result<SharedFile> SharedFile::open(const std::filesystem::path& path) {
  HANDLE h = open_shared(path, GENERIC_READ);
  if (h == INVALID_HANDLE_VALUE) return make_error(error_text(path, "cannot open for reading"));
  return SharedFile(reinterpret_cast<std::intptr_t>(h));
}

void SharedFile::close() noexcept {
  if (handle_ != -1) CloseHandle(as_handle(handle_));
  handle_ = -1;
}

Result<FileStat> SharedFile::stat() const {
  return stat_handle(as_handle(handle_));
}

Result<std::size_t> SharedFile::read_at(std::uint64_t offset, char* dst, std::size_t n) const {
  std::size_t done = 0;
  while (done < n) {
    OVERLAPPED ov{};
    const std::uint64_t at = offset + done;
    ov.Offset = static_cast<DWORD>(at & 0xFFFFFFFFu);
    ov.OffsetHigh = static_cast<DWORD>(at >> 32);
    const DWORD want = static_cast<DWORD>(std::min<std::size_t>(n - done, 1u << 30));
    DWORD got = 0;
    if (!ReadFile(as_handle(handle_), dst + done, want, &got, &ov)) {
      if (GetLastError() == ERROR_HANDLE_EOF) break;
      return make_error("ReadFile failed (Windows error " + std::to_string(GetLastError()) + ")");
    }
    if (got == 0) break;
    done += got;
  }
  return done;
}

Result<FileStat> stat_path(const std::filesystem::path& path) {
  HANDLE h = open_shared(path, FILE_READ_ATTRIBUTES);
  if (h == INVALID_HANDLE_VALUE) return make_error(error_text(path, "cannot stat"));
  auto st = stat_handle(h);
  CloseHandle(h);
  return st;
}

bool file_names_ignore_case() {
  return true;
}

}  // namespace negoheal::sources
