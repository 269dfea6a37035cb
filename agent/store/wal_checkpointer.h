#pragma once
// Keeps WAL checkpoints (each one an fsync of the database file) off the agent's commit path.
// The writer's connection stops checkpointing on its own; a timer on the io_context hands a
// PASSIVE checkpoint to a worker thread with its own connection every `every`. A PASSIVE
// checkpoint never blocks the writer, so a commit costs the same whether or not one runs.
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <filesystem>
#include <memory>

#include "agent/store/sqlite.h"
#include "core/clock.h"

namespace negoheal::store {

class WalCheckpointer {
 public:
  // `writer` is the agent's connection: its automatic checkpoints are turned off.
  static Result<std::unique_ptr<WalCheckpointer>> start(boost::asio::io_context& io, Database& writer,
                                                        std::filesystem::path path, Duration every);
  ~WalCheckpointer();
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  [[nodiscard]] std::uint64_t checkpoints() const { return state_->done.load(); }

 private:
  struct State {
    std::filesystem::path path;
    std::unique_ptr<Database> db;  // used on the worker thread only
    std::atomic<bool> busy{false};
    std::atomic<std::uint64_t> done{0};
  };
  WalCheckpointer(boost::asio::io_context& io, std::filesystem::path path, Duration every);
  void arm();

  boost::asio::steady_timer timer_;
  boost::asio::thread_pool worker_{1};
  Duration every_;
  std::shared_ptr<State> state_;
};

}  // namespace negoheal::store
