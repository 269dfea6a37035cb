#include <fcntl.h>
#include <unistd.h>

#include "actions/files/flush_file.h"

namespace negoheal::actions {

Status flush_file(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);  // NOLINT(cppcoreguidelines-pro-type-vararg)
  if (fd < 0) return make_error("cannot reopen " + path.string() + " to flush it");
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return make_error("fsync failed for " + path.string());
  return {};
}

}  // namespace negoheal::actions
