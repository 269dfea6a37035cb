#include "agent/sources/tail/glob.h"

#include <gtest/gtest.h>

#include "tests/test_support.h"

namespace negoheal::sources {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

TEST(GlobMatch, LiteralAndEmpty) {
  EXPECT_TRUE(glob_match("", "", false));
  EXPECT_FALSE(glob_match("", "a", false));
  EXPECT_FALSE(glob_match("a", "", false));
  EXPECT_TRUE(glob_match("proxy.log", "proxy.log", false));
  EXPECT_FALSE(glob_match("proxy.log", "proxy.log.1", false));
  EXPECT_FALSE(glob_match("proxy.log", "proxy.lo", false));
}

TEST(GlobMatch, Star) {
  EXPECT_TRUE(glob_match("*", "", false));
  EXPECT_TRUE(glob_match("*", "anything.log", false));
  EXPECT_TRUE(glob_match("**", "", false));
  EXPECT_TRUE(glob_match("*.log", "PAM-Proxy.log", false));
  EXPECT_TRUE(glob_match("*.log", ".log", false));
  EXPECT_FALSE(glob_match("*.log", "PAM-Proxy.log.1", false));
  EXPECT_TRUE(glob_match("PAM-Proxy*.log", "PAM-Proxy.log", false));
  EXPECT_TRUE(glob_match("PAM-Proxy*.log", "PAM-Proxy-2026-11-24.log", false));
  EXPECT_FALSE(glob_match("PAM-Proxy*.log", "PAM-Proxy-2026-11-24.txt", false));
  EXPECT_TRUE(glob_match("a*", "a", false));
  EXPECT_FALSE(glob_match("a*", "ba", false));
}

TEST(GlobMatch, QuestionMarkIsExactlyOneByte) {
  EXPECT_TRUE(glob_match("a?c", "abc", false));
  EXPECT_FALSE(glob_match("a?c", "ac", false));
  EXPECT_FALSE(glob_match("a?c", "abbc", false));
  EXPECT_FALSE(glob_match("?", "", false));
  EXPECT_TRUE(glob_match("??", "xy", false));
  EXPECT_TRUE(glob_match("*?", "x", false));
  EXPECT_FALSE(glob_match("*??", "x", false));
  EXPECT_TRUE(glob_match("log.?", "log.?", false));
}

TEST(GlobMatch, Backtracking) {
  EXPECT_TRUE(glob_match("a*b*c", "aXbYbZc", false));
  EXPECT_TRUE(glob_match("a*b*c", "abc", false));
  EXPECT_FALSE(glob_match("a*b*c", "aXbYbZ", false));
  EXPECT_FALSE(glob_match("a*b*c", "aXcYc", false));
  EXPECT_TRUE(glob_match("*ab", "aab", false));
  EXPECT_TRUE(glob_match("*a", "aaa", false));
  EXPECT_TRUE(glob_match("*aab", "aaaab", false));
  EXPECT_TRUE(glob_match("a*?b", "aXXb", false));
  EXPECT_FALSE(glob_match("a*?b", "ab", false));
  EXPECT_TRUE(glob_match("*x*y*", "..x..x..y..", false));
  EXPECT_FALSE(glob_match("*x*y*", "..y..x..", false));
}

TEST(GlobMatch, StarMatchesALiteralStarInTheName) {
  // POSIX file names may hold '*': the pattern's '*' is still a wildcard there. Before the fix,
  // the '*' of "a*" was matched as a literal against the name's '*', and "b" then failed.
  EXPECT_TRUE(glob_match("a*", "a*b", false));
  EXPECT_TRUE(glob_match("*.log", "*x.log", false));
  EXPECT_TRUE(glob_match("*", "**", false));
}

TEST(GlobMatch, CaseInsensitiveFlag) {
  EXPECT_FALSE(glob_match("PAM-Proxy*.log", "pam-proxy-1.LOG", false));
  EXPECT_TRUE(glob_match("PAM-Proxy*.log", "pam-proxy-1.LOG", true));
  EXPECT_TRUE(glob_match("a?C", "AbC", true));
  EXPECT_TRUE(glob_match("A*B*C", "axbybzc", true));
  EXPECT_FALSE(glob_match("a", "b", true));
}

TEST(ParseGlob, SplitsFolderAndName) {
  auto g = parse_glob(fs::path("/var/log/proxy") / "PAM-Proxy*.log");
  ASSERT_TRUE(g.ok()) << g.error().message;
  EXPECT_EQ(g->dir, fs::path("/var/log/proxy"));
  EXPECT_EQ(g->name, "PAM-Proxy*.log");
  EXPECT_TRUE(g->matches("PAM-Proxy-1.log"));
  EXPECT_FALSE(g->matches("other.log"));
}

TEST(ParseGlob, RelativeNameOnlyMeansCurrentFolder) {
  auto g = parse_glob("x?.log");
  ASSERT_TRUE(g.ok()) << g.error().message;
  EXPECT_EQ(g->dir, fs::path("."));
  EXPECT_EQ(g->name, "x?.log");
}

TEST(ParseGlob, RejectsWildcardsInTheFolder) {
  EXPECT_FALSE(parse_glob("/var/log/*/proxy.log").ok());
  EXPECT_FALSE(parse_glob("/var/lo?/proxy.log").ok());
  EXPECT_FALSE(parse_glob("logs*/a/*.log").ok());
}

TEST(ParseGlob, RejectsAFolder) {
  EXPECT_FALSE(parse_glob("/var/log/").ok());
  EXPECT_FALSE(parse_glob("").ok());
}

TEST(ExpandGlob, ListsOnlyMatchingRegularFilesSorted) {
  TempDir dir;
  for (const char* name : {"c.log", "a.log", "b.log", "a.txt", "alog", "z.log.1"})
    testing::write_file(dir / name, "x\n");
  fs::create_directories(dir / "d.log");  // a folder that matches
  testing::write_file(dir / "d.log" / "inner.log", "x\n");
  auto g = parse_glob(dir.path() / "*.log");
  ASSERT_TRUE(g.ok()) << g.error().message;
  EXPECT_EQ(expand_glob(*g), (std::vector<fs::path>{dir / "a.log", dir / "b.log", dir / "c.log"}));

  g = parse_glob(dir.path() / "?.log*");
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(expand_glob(*g), (std::vector<fs::path>{dir / "a.log", dir / "b.log", dir / "c.log", dir / "z.log.1"}));

  g = parse_glob(dir.path() / "nothing*");
  ASSERT_TRUE(g.ok());
  EXPECT_TRUE(expand_glob(*g).empty());
}

TEST(ExpandGlob, MissingFolderIsNoMatch) {
  TempDir dir;
  auto g = parse_glob(dir.path() / "absent" / "*.log");
  ASSERT_TRUE(g.ok());
  EXPECT_TRUE(expand_glob(*g).empty());
}

}  // namespace
}  // namespace negoheal::sources
