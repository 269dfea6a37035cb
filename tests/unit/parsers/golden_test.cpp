// One directory walk checks every golden case under tests/data/<format>/ (see tests/data/README.md).
#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "agent/pipeline/ingest.h"
#include "core/timestamp.h"
#include "tests/test_support.h"

namespace negoheal {
namespace {

namespace fs = std::filesystem;
using testing::data_dir;
using testing::read_file;

std::vector<fs::path> golden_inputs() {
  std::vector<fs::path> out;
  for (const auto& entry : fs::recursive_directory_iterator(data_dir())) {
    if (!entry.is_regular_file()) continue;
    const auto name = entry.path().filename().string();
    if (name == "README.md" || name.find(".expected.") != std::string::npos ||
        name.find(".options.") != std::string::npos) {
      continue;
    }
    out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

fs::path sibling(const fs::path& input, const std::string& suffix) {
  return input.parent_path() / (input.stem().string() + suffix);
}

std::string parse_to_jsonl(const fs::path& input) {
  pipeline::InputOptions o;
  std::vector<std::string> formats, contexts;
  const auto options_path = sibling(input, ".options.json");
  if (fs::exists(options_path)) {
    const auto j = nlohmann::json::parse(read_file(options_path));
    o.format = parsers::parse_input_format(j.value("format", "auto")).value();
    formats = j.value("line_formats", std::vector<std::string>{});
    contexts = j.value("context_patterns", std::vector<std::string>{});
  }
  o.patterns = parsers::LinePatterns::compile(formats, contexts).value();
  o.reference = make_time(2026, 11, 24, std::chrono::hours(23) + std::chrono::minutes(59));
  o.local_offset = std::chrono::seconds(0);
  std::string out;
  o.diagnostics = [&](std::uint64_t offset, std::string_view reason) {
    out += "# skipped @" + std::to_string(offset) + ": " + std::string(reason) + "\n";
  };
  auto r = pipeline::parse_file(input, o, [&](Event&& e) {
    // Paths differ between checkouts: the input's own path becomes its file name. Paths that
    // come from the records themselves (JSON lines) stay as written.
    if (e.file_path == input.string()) e.file_path = input.filename().string();
    out += to_json_line(e) + "\n";
  });
  EXPECT_TRUE(r.ok()) << input << ": " << (r.ok() ? "" : r.error().message);
  return out;
}

TEST(Golden, EveryInputMatchesItsExpectedOutput) {
  const auto inputs = golden_inputs();
  ASSERT_GE(inputs.size(), 5u);
  const bool update = std::getenv("NEGOHEAL_UPDATE_GOLDEN") != nullptr;
  for (const auto& input : inputs) {
    SCOPED_TRACE(input.string());
    const auto got = parse_to_jsonl(input);
    const auto expected_path = sibling(input, ".expected.jsonl");
    if (update) {
      testing::write_file(expected_path, got);
      continue;
    }
    ASSERT_TRUE(fs::exists(expected_path)) << "missing " << expected_path << " (run with NEGOHEAL_UPDATE_GOLDEN=1)";
    EXPECT_EQ(got, read_file(expected_path));
  }
}

}  // namespace
}  // namespace negoheal
