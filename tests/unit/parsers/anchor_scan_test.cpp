#include "parsers/text/anchor_scan.h"

#include <gtest/gtest.h>

#include <random>

namespace negoheal::parsers {
namespace {

std::size_t naive_find(std::string_view data, std::size_t from, const std::vector<AnchorScanner::Anchor>& anchors) {
  for (std::size_t i = from; i < data.size(); ++i) {
    for (const auto& a : anchors) {
      if (i + a.literal.size() > data.size()) continue;
      bool eq = true;
      for (std::size_t k = 0; k < a.literal.size() && eq; ++k) {
        char c = data[i + k];
        if (a.case_insensitive && c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
        eq = c == a.literal[k];
      }
      if (eq) return i;
    }
  }
  return std::string_view::npos;
}

// The SIMD path must agree with a naive search everywhere, including near the end of the buffer
// where it falls back to scalar code.
TEST(AnchorScan, AgreesWithNaiveSearchOnRandomText) {
  const std::vector<AnchorScanner::Anchor> anchors = {
      {"connecting to peer", false}, {"_SERVER", false}, {"2000c", true}, {"131084", false}, {"ab", false}};
  for (int level = 0; level <= 2; ++level) {
    SCOPED_TRACE("simd level " + std::to_string(level));
    AnchorScanner scanner(anchors);
    scanner.limit_simd(level);
    std::mt19937 rng(42);
    const std::string alphabet = "abcC02_SERVER13184 \n";
    for (int round = 0; round < 300; ++round) {
      std::string s(static_cast<std::size_t>(rng() % 300), ' ');
      for (auto& c : s)
        c = alphabet[rng() % alphabet.size()];
      if (rng() % 3 == 0 && s.size() > 40) s.replace(rng() % (s.size() - 20), 18, "connecting to peer");
      std::size_t from = 0;
      while (true) {
        const auto want = naive_find(s, from, anchors);
        const auto got = scanner.find(s, from);
        ASSERT_EQ(got, want) << "round " << round << " from " << from;
        if (got == std::string_view::npos) break;
        from = got + 1;
      }
    }
  }
}

TEST(AnchorScan, FindsAnchorsAtEveryAlignment) {
  AnchorScanner scanner({{"NEGO_CONNECT_FAILED", false}});
  for (std::size_t pad = 0; pad < 80; ++pad) {
    const std::string s = std::string(pad, 'x') + "NEGO_CONNECT_FAILED" + std::string(pad % 7, 'y');
    EXPECT_EQ(scanner.find(s, 0), pad);
  }
  EXPECT_EQ(scanner.find("", 0), std::string_view::npos);
  EXPECT_EQ(scanner.find("NEGO_CONNECT_FAILE", 0), std::string_view::npos);
}

}  // namespace
}  // namespace negoheal::parsers
