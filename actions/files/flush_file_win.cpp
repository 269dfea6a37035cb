#include <windows.h>

#include <string>

#include "actions/files/flush_file.h"

namespace negoheal::actions {

Status flush_file(const std::filesystem::path& path) {
  // FlushFileBuffers needs a handle with write access; share everything so a reader holding the
  // file open does not make the flush fail.
  HANDLE h = ::CreateFileW(path.c_str(), GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                           OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (h == INVALID_HANDLE_VALUE) {
    return make_error("cannot reopen " + path.string() + " to flush it (error " + std::to_string(::GetLastError()) +
                      ")");
  }
  const BOOL ok = ::FlushFileBuffers(h);
  const DWORD err = ok ? 0 : ::GetLastError();
  ::CloseHandle(h);
  if (!ok) return make_error("FlushFileBuffers failed for " + path.string() + " (error " + std::to_string(err) + ")");
  return {};
}

}  // namespace negoheal::actions
