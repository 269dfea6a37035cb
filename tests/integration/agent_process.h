#pragma once
// The real `negoheal run` as a child process (POSIX: fork/exec, signals), and the store it
// writes, read the way an outside tool would (a second SQLite connection, read-only).
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/inotify.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <string>

namespace negoheal::testing {

class AgentProcess {
 public:
  AgentProcess(const std::filesystem::path& config, const std::filesystem::path& log) {
    pid_ = fork();
    if (pid_ == 0) {
      FILE* f = std::freopen(log.c_str(), "a", stderr);
      (void)f;
      execl(NEGOHEAL_BINARY, "negoheal", "run", "-c", config.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
  }
  ~AgentProcess() {
    if (pid_ > 0) kill_now();
  }
  AgentProcess(const AgentProcess&) = delete;
  AgentProcess& operator=(const AgentProcess&) = delete;

  // SIGTERM and wait: the exit status (0 is a clean stop).
  int terminate() { return signal_and_wait(SIGTERM); }
  void kill_now() { signal_and_wait(SIGKILL); }
  void hangup() { ::kill(pid_, SIGHUP); }
  // Waits for the process to exit on its own.
  int wait() { return signal_and_wait(0); }
  [[nodiscard]] pid_t pid() const { return pid_; }

 private:
  int signal_and_wait(int sig) {
    if (pid_ <= 0) return -1;
    if (sig != 0) ::kill(pid_, sig);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  pid_t pid_ = -1;
};

// Waits until `done` holds or the deadline passes, woken by changes in `dir` (the agent's store,
// its WAL and its log live there, so every commit and log line is a change): no sleeping.
inline bool wait_until(const std::filesystem::path& dir, const std::function<bool()>& done,
                       std::chrono::milliseconds deadline) {
  const int fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
  inotify_add_watch(fd, dir.c_str(), IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE);
  const auto end = std::chrono::steady_clock::now() + deadline;
  bool ok = true;
  // The watch exists before each check, so a change right after a check still wakes the poll.
  while (!done()) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      ok = false;
      break;
    }
    pollfd p{fd, POLLIN, 0};
    poll(&p, 1, static_cast<int>(left.count()));
    char buf[4096];
    while (read(fd, buf, sizeof buf) > 0) {
    }
  }
  close(fd);
  return ok;
}

// One read-only query; an absent store or table reads as no rows.
inline std::vector<std::vector<std::string>> query(const std::filesystem::path& db, const std::string& sql) {
  std::vector<std::vector<std::string>> rows;
  sqlite3* h = nullptr;
  if (sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(h);
    return rows;
  }
  sqlite3_busy_timeout(h, 2000);
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(h, sql.c_str(), -1, &st, nullptr) == SQLITE_OK) {
    while (sqlite3_step(st) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int i = 0; i < sqlite3_column_count(st); ++i) {
        const auto* text = sqlite3_column_text(st, i);
        row.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
      }
      rows.push_back(std::move(row));
    }
  }
  sqlite3_finalize(st);
  sqlite3_close(h);
  return rows;
}

inline std::size_t count(const std::filesystem::path& db, const std::string& sql) {
  auto rows = query(db, sql);
  return rows.empty() ? 0 : std::stoul(rows[0][0]);
}

}  // namespace negoheal::testing
