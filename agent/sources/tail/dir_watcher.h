#pragma once
// Wakes the tailer when something changes in a watched folder, so a new line is read within
// milliseconds instead of at the next stat poll. Linux: inotify on the io_context. Builds without a
// native watcher return nullptr from create() and the tailer relies on its stat poll alone.
#include <filesystem>
#include <functional>
#include <memory>

#include "core/result.h"

namespace boost::asio {
class io_context;
}

namespace negoheal::sources {

class DirWatcher {
 public:
  // Called on the io_context thread with the folder that changed. An empty path means "anything
  // may have changed" (the kernel queue overflowed): rescan everything.
  using OnChange = std::function<void(const std::filesystem::path& dir)>;

  virtual ~DirWatcher() = default;
  // Idempotent. A folder that does not exist yet is an error; the caller retries at its next poll.
  virtual Status watch(const std::filesystem::path& dir) = 0;
  virtual void stop() = 0;

  // nullptr: no native watcher on this platform (poll only).
  static std::unique_ptr<DirWatcher> create(boost::asio::io_context& io, OnChange on_change);
};

}  // namespace negoheal::sources
