#include <sys/inotify.h>
#include <unistd.h>

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <cerrno>
#include <cstring>
#include <system_error>
#include <unordered_map>

#include "agent/sources/tail/dir_watcher.h"

namespace negoheal::sources {
namespace {

// Events that can mean new bytes or a new, renamed or vanished file in the folder.
constexpr std::uint32_t k_mask =
    IN_MODIFY | IN_CREATE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE | IN_CLOSE_WRITE | IN_ATTRIB | IN_DELETE_SELF;

class InotifyWatcher final : public DirWatcher {
 public:
  InotifyWatcher(boost::asio::io_context& io, int fd, OnChange on_change)
      : stream_(io, fd), on_change_(std::move(on_change)) {
    read();
  }
  ~InotifyWatcher() override { stop(); }

  Status watch(const std::filesystem::path& dir) override {
    const std::string key = dir.string();
    for (const auto& [wd, path] : dirs_) {
      if (path == key) return {};
    }
    const int wd = inotify_add_watch(stream_.native_handle(), key.c_str(), k_mask | IN_ONLYDIR);
    if (wd < 0) return make_error(key + ": cannot watch: " + std::generic_category().message(errno));
    dirs_[wd] = key;
    return {};
  }

  void stop() override {
    boost::system::error_code ignored;
    stream_.close(ignored);
  }

 private:
  void read() {
    stream_.async_read_some(boost::asio::buffer(buf_), [this](boost::system::error_code ec, std::size_t n) {
      if (ec) return;  // closed (stop) or fatal: the stat poll still runs
      dispatch(n);
      read();
    });
  }

  void dispatch(std::size_t n) {
    std::size_t i = 0;
    const std::filesystem::path* last = nullptr;
    while (i + sizeof(inotify_event) <= n) {
      inotify_event ev{};
      std::memcpy(&ev, buf_.data() + i, sizeof ev);
      i += sizeof(inotify_event) + ev.len;
      if (ev.mask & IN_Q_OVERFLOW) {
        on_change_({});
        continue;
      }
      if (ev.mask & IN_IGNORED) {
        dirs_.erase(ev.wd);  // the folder is gone; watch() adds it again when it is back
        continue;
      }
      auto it = dirs_.find(ev.wd);
      if (it == dirs_.end()) continue;
      // One callback per folder per batch: a burst of writes is one wake-up.
      if (last && *last == it->second) continue;
      last_dir_ = it->second;
      last = &last_dir_;
      on_change_(last_dir_);
    }
  }

  boost::asio::posix::stream_descriptor stream_;
  OnChange on_change_;
  std::unordered_map<int, std::string> dirs_;
  std::filesystem::path last_dir_;
  alignas(inotify_event) std::array<char, std::size_t{64} * 1024> buf_{};
};

}  // namespace

std::unique_ptr<DirWatcher> DirWatcher::create(boost::asio::io_context& io, OnChange on_change) {
  const int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) return nullptr;
  return std::make_unique<InotifyWatcher>(io, fd, std::move(on_change));
}

}  // namespace negoheal::sources
