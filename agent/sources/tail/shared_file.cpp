#include "agent/sources/tail/shared_file.h"

// The platform-neutral half; open, close, stat and read_at live in shared_file_<platform>.cpp.
namespace negoheal::sources {

SharedFile::SharedFile(SharedFile&& other) noexcept : handle_(other.handle_) {
  other.handle_ = -1;
}

SharedFile& SharedFile::operator=(SharedFile&& other) noexcept {
  if (this != &other) {
    close();
    handle_ = other.handle_;
    other.handle_ = -1;
  }
  return *this;
}

SharedFile::~SharedFile() {
  close();
}

}  // namespace negoheal::sources
