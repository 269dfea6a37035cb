#include "agent/sources/file_reader.h"

#include <gtest/gtest.h>

#include "tests/test_support.h"

namespace negoheal::sources {
namespace {

using testing::TempDir;

struct Line {
  std::string text;
  std::uint64_t offset;
};

std::vector<Line> lines_of(const std::filesystem::path& p, ReadOptions o = {}) {
  std::vector<Line> out;
  auto r = read_lines(p, o, [&](std::string_view data, std::uint64_t base) {
    std::size_t begin = 0;
    while (begin < data.size()) {
      auto nl = data.find('\n', begin);
      if (nl == std::string_view::npos) nl = data.size();
      out.push_back({std::string(data.substr(begin, nl - begin)), base + begin});
      begin = nl + 1;
    }
  });
  EXPECT_TRUE(r.ok());
  return out;
}

TEST(FileReader, ChunksNeverSplitALineAndOffsetsAreExact) {
  TempDir dir;
  std::string content;
  for (int i = 0; i < 2000; ++i)
    content += "line " + std::to_string(i) + " " + std::string(static_cast<std::size_t>(i % 37), 'x') + "\n";
  content += "last line without newline";
  testing::write_file(dir / "f.log", content);
  const auto lines = lines_of(dir / "f.log", {.chunk_size = 1000, .max_line = 900});
  ASSERT_EQ(lines.size(), 2001u);
  for (const auto& l : lines)
    EXPECT_EQ(content.substr(l.offset, l.text.size()), l.text);
  EXPECT_EQ(lines.back().text, "last line without newline");
}

TEST(FileReader, OverlongLinesAreCutAndCounted) {
  TempDir dir;
  const std::string content = "a\n" + std::string(5000, 'L') + "\nb\n";
  testing::write_file(dir / "f.log", content);
  std::vector<std::string> lines;
  auto r = read_lines(dir / "f.log", {.chunk_size = 1024, .max_line = 100}, [&](std::string_view data, std::uint64_t) {
    std::size_t begin = 0;
    while (begin < data.size()) {
      auto nl = data.find('\n', begin);
      if (nl == std::string_view::npos) nl = data.size();
      lines.emplace_back(data.substr(begin, nl - begin));
      begin = nl + 1;
    }
  });
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->long_lines_cut, 1u);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "a");
  EXPECT_EQ(lines[1], std::string(100, 'L'));
  EXPECT_EQ(lines[2], "b");
}

TEST(FileReader, DecodesUtf16LeWithBomKeepingFileOffsets) {
  TempDir dir;
  std::string content = "\xFF\xFE";
  auto put = [&](char16_t u) {
    content.push_back(static_cast<char>(u & 0xFF));
    content.push_back(static_cast<char>(u >> 8));
  };
  for (char16_t u : std::u16string(u"ab\r\n\u00e9z\n\U0001F600"))
    put(u);
  testing::write_file(dir / "w.log", content);
  const auto lines = lines_of(dir / "w.log");
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].text, "ab\r");
  EXPECT_EQ(lines[0].offset, 2u);
  EXPECT_EQ(lines[1].text, "\xC3\xA9z");
  EXPECT_EQ(lines[1].offset, 10u);
  EXPECT_EQ(lines[2].text, "\xF0\x9F\x98\x80");
}

TEST(FileReader, FingerprintIgnoresNameAndGrowthPastTheHead) {
  const std::string head(5000, 'h');
  EXPECT_EQ(content_fingerprint(head), content_fingerprint(head + "more"));
  EXPECT_NE(content_fingerprint("a"), content_fingerprint("b"));
  TempDir dir;
  EXPECT_FALSE(inspect_file(dir / "missing").ok());
}

}  // namespace
}  // namespace negoheal::sources
