// Test helper standing in for the remediation target command: appends the argv it received, as
// one JSON array per line, to the file named by NEGOHEAL_ARGV_RECORD. Exit 0 if recorded.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

int main(int argc, char** argv) {
  const char* path = std::getenv("NEGOHEAL_ARGV_RECORD");  // NOLINT(concurrency-mt-unsafe): single-threaded
  if (path == nullptr || *path == '\0') {
    std::fputs("argv_recorder: NEGOHEAL_ARGV_RECORD is not set\n", stderr);
    return 2;
  }
  nlohmann::json args = nlohmann::json::array();
  for (int i = 0; i < argc; ++i)
    args.push_back(std::string(argv[i]));
  std::ofstream out(path, std::ios::binary | std::ios::app);
  // strict: bytes that are not UTF-8 make dump() throw, and the test sees a failed run rather
  // than a silently repaired argument.
  try {
    out << args.dump(-1, ' ', false, nlohmann::json::error_handler_t::strict) << '\n';
  } catch (const nlohmann::json::exception& e) {
    std::fprintf(stderr, "argv_recorder: %s\n", e.what());
    return 3;
  }
  return out.good() ? 0 : 4;
}
