#pragma once
// `negoheal run`: the object graph of the live agent on one io_context thread.
//
//   DirWatcher / poll timer ─▶ TailPipeline (read ─▶ parse ─▶ Recorder ─▶ commit with checkpoint)
//                                   │ opened / reopened incidents, after commit
//                                   ▼
//                               Diagnoser (probe, rate-limited) ─▶ store
//   HttpServer: /metrics, /healthz          signals: TERM/INT stop, HUP reload
//
// Everything runs on the io_context thread, so the store needs no locks. Reads are bounded chunks
// and SQLite commits in WAL mode do not fsync, so no handler blocks for long.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "agent/settings/settings.h"
#include "core/clock.h"
#include "core/result.h"

namespace boost::asio {
class io_context;
}
namespace spdlog {
class logger;
}

namespace negoheal::runtime {

struct RunOptions {
  std::optional<std::filesystem::path> config;  // none: the embedded default
  bool dry_run = false;                         // forces remediation.mode dry-run (it is the default)
  Duration shutdown_deadline = std::chrono::seconds(10);
};

class Agent {
 public:
  Agent(boost::asio::io_context& io, const Clock& clock, spdlog::logger& log, RunOptions options);
  ~Agent();
  Agent(const Agent&) = delete;
  Agent& operator=(const Agent&) = delete;

  // Loads and validates the config, opens the store, starts sources, probes, HTTP and signals.
  // Errors here are start-up errors: the caller exits 1.
  Status start();
  // Phase one of shutdown: stop reading and probing, let running work finish, then stop the
  // io_context (at the latest after the deadline). A second request stops at once.
  void request_stop();
  // Reloads the config file; a config that does not validate is reported and the old one kept.
  Status reload();

  [[nodiscard]] std::uint16_t http_port() const;  // 0: no HTTP endpoint

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The whole `run` command: builds the agent, runs the io_context until shutdown. Exit code.
int run_agent(const RunOptions& options, spdlog::logger& log);

}  // namespace negoheal::runtime
