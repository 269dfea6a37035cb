#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <system_error>

#include "tests/unit/actions/run_argv.h"

namespace negoheal::testing {

bool can_spawn_argv() {
  return true;
}

Result<int> spawn_argv_and_wait(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
  if (argv.empty()) return make_error("empty argv");
  // posix_spawn takes char* const[]; it does not write through them.
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));  // NOLINT(cppcoreguidelines-pro-type-const-cast)
  args.push_back(nullptr);
  std::vector<char*> envp;
  envp.reserve(env.size() + 1);
  for (const auto& e : env)
    envp.push_back(const_cast<char*>(e.c_str()));  // NOLINT(cppcoreguidelines-pro-type-const-cast)
  envp.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, args[0], nullptr, nullptr, args.data(), envp.data());
  if (rc != 0) return make_error("posix_spawn: " + std::error_code(rc, std::generic_category()).message());
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return make_error("waitpid: " + std::error_code(errno, std::generic_category()).message());
  }
  if (!WIFEXITED(status)) return make_error("child did not exit normally");
  return WEXITSTATUS(status);
}

}  // namespace negoheal::testing
