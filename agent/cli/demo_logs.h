#pragma once
// The bundled demo: proxy logs negoheal writes itself (no third-party data), covering what the
// agent must get right: interleaved threads, thread-id reuse, FreeRDP 2.x and 3.x prefixes,
// Windows hex thread ids, CRLF, an NPS-style log line, and a failure no context can attribute.
#include <filesystem>
#include <string>
#include <vector>

#include "core/result.h"

namespace negoheal::cli {

struct DemoFile {
  std::string name;
  std::string content;
};

// Deterministic content for the given date ("2026-11-24").
std::vector<DemoFile> demo_logs(const std::string& date);

}  // namespace negoheal::cli
