#include "agent/sources/tail/dir_watcher.h"

namespace negoheal::sources {

// No native watcher yet on Windows: the tailer's stat poll (sources[].poll_interval) finds new
// lines. ReadDirectoryChangesW would go here, behind the same interface.
std::unique_ptr<DirWatcher> DirWatcher::create(boost::asio::io_context& /*io*/, OnChange /*on_change*/) {
  return nullptr;
}

}  // namespace negoheal::sources
