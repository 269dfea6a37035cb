#include "agent/store/wal_checkpointer.h"

#include <boost/asio/post.hpp>

namespace negoheal::store {

WalCheckpointer::WalCheckpointer(boost::asio::io_context& io, std::filesystem::path path, Duration every)
    : timer_(io), every_(every), state_(std::make_shared<State>()) {
  state_->path = std::move(path);
}

Result<std::unique_ptr<WalCheckpointer>> WalCheckpointer::start(boost::asio::io_context& io, Database& writer,
                                                                std::filesystem::path path, Duration every) {
  if (auto st = writer.exec("PRAGMA wal_autocheckpoint=0"); !st) return st.error();
  std::unique_ptr<WalCheckpointer> c(new WalCheckpointer(io, std::move(path), every));
  c->arm();
  return c;
}

WalCheckpointer::~WalCheckpointer() {
  timer_.cancel();
  worker_.join();  // a checkpoint in progress finishes; the connection closes with the state
}

void WalCheckpointer::arm() {
  timer_.expires_after(every_);
  timer_.async_wait([this](boost::system::error_code ec) {
    if (ec) return;
    if (!state_->busy.exchange(true)) {
      boost::asio::post(worker_, [state = state_] {
        if (!state->db) {
          auto db = Database::open(state->path);
          if (db) state->db = std::move(*db);
        }
        // A failure (busy, I/O) is retried at the next tick; the WAL just grows meanwhile.
        if (state->db && state->db->exec("PRAGMA wal_checkpoint(PASSIVE)")) ++state->done;
        state->busy = false;
      });
    }
    arm();
  });
}

}  // namespace negoheal::store
