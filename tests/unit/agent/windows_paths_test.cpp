// Windows spellings of paths and Windows-made input files. Runs on every platform: a config
// written for the Windows host must mean the same to `check-config` on Linux, and the Windows
// build (tests under wine) must open drive-letter, \\?\ and non-ASCII paths. Checks that only
// make sense where drive letters exist are skipped elsewhere, decided at run time, not by #ifdef.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "agent/pipeline/ingest.h"
#include "agent/settings/settings.h"
#include "agent/sources/file_reader.h"
#include "core/event.h"
#include "tests/test_support.h"

namespace negoheal {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

bool has_drive_letters() {
  return fs::path("C:\\x").is_absolute();
}

settings::Settings with_base(const fs::path& base) {
  auto s = settings::settings_from_text("{}", "test.json", base);
  EXPECT_TRUE(s.ok()) << s.error().message;
  return s.ok() ? *s : settings::Settings{};
}

// UTF-16LE with a BOM, as PowerShell's Out-File and many Windows services write logs.
std::string utf16le_with_bom(const std::u16string& text) {
  std::string out = "\xFF\xFE";
  for (char16_t u : text) {
    out.push_back(static_cast<char>(u & 0xFF));
    out.push_back(static_cast<char>(u >> 8));
  }
  return out;
}

std::u16string widen_ascii(const std::string& s) {
  return {s.begin(), s.end()};
}

TEST(WindowsPaths, AbsoluteWindowsSpellingsAreKeptAsWritten) {
  const auto s = with_base("/etc/negoheal");
  for (const char* p :
       {"C:\\ProgramData\\negoheal\\negoheal.db", "C:/ProgramData/negoheal/negoheal.db", "d:\\logs\\PAM-Proxy.log",
        "\\\\?\\C:\\ProgramData\\negoheal\\negoheal.db", "\\\\?\\UNC\\fileserver\\share\\negoheal.db",
        "\\\\fileserver\\share\\negoheal.db", "//fileserver/share/negoheal.db"}) {
    EXPECT_EQ(s.resolve(p), fs::path(p)) << p;
  }
}

TEST(WindowsPaths, RelativePathsJoinTheConfigFolder) {
  const fs::path base = "C:\\ProgramData\\negoheal";
  const auto s = with_base(base);
  EXPECT_EQ(s.resolve("negoheal.db"), base / "negoheal.db");
  EXPECT_EQ(s.resolve("state/negoheal.db"), base / "state/negoheal.db");
}

TEST(WindowsPaths, BackslashesSeparateWhereTheyAreSeparators) {
  if (!has_drive_letters()) GTEST_SKIP() << "POSIX: a backslash is an ordinary file name character";
  const auto s = with_base("C:\\ProgramData\\negoheal");
  EXPECT_EQ(s.resolve("state\\negoheal.db").generic_string(), "C:/ProgramData/negoheal/state/negoheal.db");
  // Root-relative: the config folder's drive, not the config folder.
  EXPECT_EQ(s.resolve("\\logs\\x.log").generic_string(), "C:/logs/x.log");
}

TEST(WindowsPaths, ConfigWithBomAndBackslashPathsLoads) {
  TempDir dir;
  testing::write_file(
      dir / "negoheal.json",
      "\xEF\xBB\xBF{\"store\": {\"path\": \"state\\\\negoheal.db\"},\r\n"
      " \"sources\": [{\"type\": \"file\", \"paths\": [\"C:\\\\ProgramData\\\\PAM\\\\Log\\\\*.log\"]}]}\r\n");
  auto s = settings::load_settings(dir / "negoheal.json");
  ASSERT_TRUE(s.ok()) << s.error().message;
  ASSERT_EQ(s->file_sources.size(), 1u);
  EXPECT_EQ(s->resolve(s->file_sources[0].paths[0]), fs::path("C:\\ProgramData\\PAM\\Log\\*.log"));
  const auto store = s->resolve(s->store_path);
  EXPECT_TRUE(store.is_absolute()) << store;
  if (has_drive_letters()) {
    EXPECT_EQ(store.parent_path().parent_path(), fs::absolute(dir.path())) << store;
  }
}

TEST(WindowsPaths, Utf16LeLogWithCrLfIsDecodedWithFileOffsets) {
  TempDir dir;
  const std::u16string text = u"first line\r\nzweite Zeile \u00fc\r\n\u65e5\u672c\r\n";
  testing::write_file(dir / "ps-out.log", utf16le_with_bom(text));
  std::vector<std::pair<std::string, std::uint64_t>> lines;
  auto r = sources::read_lines(dir / "ps-out.log", {}, [&](std::string_view data, std::uint64_t base) {
    std::size_t begin = 0;
    while (begin < data.size()) {
      auto nl = data.find('\n', begin);
      if (nl == std::string_view::npos) nl = data.size();
      lines.emplace_back(std::string(data.substr(begin, nl - begin)), base + begin);
      begin = nl + 1;
    }
  });
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].first, "first line\r");
  EXPECT_EQ(lines[0].second, 2u);  // after the BOM
  EXPECT_EQ(lines[1].first, "zweite Zeile \xC3\xBC\r");
  EXPECT_EQ(lines[1].second, 2u + 2u * 12u);  // 12 UTF-16 units before it
  EXPECT_EQ(lines[2].first, "\xE6\x97\xA5\xE6\x9C\xAC\r");
  EXPECT_EQ(lines[2].second, 2u + 2u * (12u + 16u));
}

// The same FreeRDP log as UTF-8 and as UTF-16LE gives the same events; only the byte offsets
// (and the file) differ.
TEST(WindowsPaths, Utf16LeLogGivesTheSameEventsAsUtf8) {
  const fs::path sample = testing::data_dir() / "freerdp" / "interleaved_threads.log";
  if (!fs::exists(sample)) GTEST_SKIP() << sample << " is missing";
  TempDir dir;
  const std::string utf8 = testing::read_file(sample);
  testing::write_file(dir / "utf8.log", utf8);
  testing::write_file(dir / "utf16.log", utf16le_with_bom(widen_ascii(utf8)));
  std::error_code ec;
  fs::last_write_time(dir / "utf16.log", fs::last_write_time(dir / "utf8.log"), ec);
  ASSERT_FALSE(ec) << ec.message();

  auto events_of = [](const fs::path& p) {
    std::vector<Event> events;
    auto r = pipeline::parse_file(p, {}, [&](Event&& e) {
      e.file_path.reset();
      e.offset.reset();
      events.push_back(std::move(e));
    });
    EXPECT_TRUE(r.ok()) << r.error().message;
    return events;
  };
  const auto from_utf8 = events_of(dir / "utf8.log");
  const auto from_utf16 = events_of(dir / "utf16.log");
  ASSERT_FALSE(from_utf8.empty());
  ASSERT_EQ(from_utf8.size(), from_utf16.size());
  for (std::size_t i = 0; i < from_utf8.size(); ++i) {
    EXPECT_EQ(to_json_line(from_utf8[i]), to_json_line(from_utf16[i])) << "event " << i;
  }
}

TEST(WindowsPaths, ExtendedLengthAndNonAsciiPathsOpen) {
  if (!has_drive_letters()) GTEST_SKIP() << "\\\\?\\ paths exist only on Windows";
  TempDir dir;
  // A folder deeper than MAX_PATH (260) is reachable only through the \\?\ prefix.
  const auto extended_spelling = [](fs::path p) { return fs::path(L"\\\\?\\" + p.make_preferred().wstring()); };
  const fs::path top = fs::absolute(dir.path()) / std::string(24, 'a');
  fs::path deep = top;
  for (int i = 1; i < 12; ++i)
    deep /= std::string(24, static_cast<char>('a' + i));
  const fs::path extended = extended_spelling(deep);
  fs::create_directories(extended);
  const fs::path log = extended / fs::path(u8"Pr\u00fcfung-\u65e5\u672c.log");
  testing::write_file(log, utf16le_with_bom(u"line one\r\nline two\r\n"));
  ASSERT_TRUE(fs::exists(log)) << "cannot create " << log;
  EXPECT_GT(log.native().size(), 260u);

  auto info = sources::inspect_file(log);
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info->size, 2u + 2u * 20u);
  std::vector<std::string> lines;
  auto r = sources::read_lines(log, {}, [&](std::string_view data, std::uint64_t) { lines.emplace_back(data); });
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(lines, (std::vector<std::string>{"line one\r", "line two\r"}));
  std::error_code ec;
  fs::remove_all(extended_spelling(top), ec);  // best effort: TempDir's cleanup may not reach that deep
}

}  // namespace
}  // namespace negoheal
