#include "agent/sources/text_lines.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace negoheal::sources {
namespace {

struct Call {
  std::string data;
  std::uint64_t base;
  friend bool operator==(const Call&, const Call&) = default;
};

void PrintTo(const Call& c, std::ostream* os) {
  *os << "{\"" << c.data.substr(0, 40) << (c.data.size() > 40 ? "...\" (" + std::to_string(c.data.size()) + ")" : "\"")
      << ", " << c.base << "}";
}

struct Emitted {
  std::vector<Call> calls;
  std::uint64_t cut = 0;
};

Emitted emit(std::string_view block, std::uint64_t base, std::size_t max_line) {
  Emitted e;
  e.cut = emit_cut_lines(block, base, max_line, [&](std::string_view data, std::uint64_t at) {
    e.calls.push_back({std::string(data), at});
  });
  return e;
}

std::string utf16(std::u16string_view units) {
  std::string out;
  for (char16_t u : units) {
    out.push_back(static_cast<char>(u & 0xFF));
    out.push_back(static_cast<char>(u >> 8));
  }
  return out;
}

std::string to_utf8(std::u16string_view units) {
  std::string out;
  append_utf16le_as_utf8(out, utf16(units));
  return out;
}

std::string utf8_of(std::uint32_t cp) {
  std::string out;
  append_utf8(out, cp);
  return out;
}

TEST(EmitCutLines, ShortLinesGoOutInOneCall) {
  std::string block;
  for (int i = 0; i < 500; ++i)
    block += "line " + std::to_string(i) + "\n";
  const auto e = emit(block, 1000, 64);
  EXPECT_EQ(e.cut, 0u);
  EXPECT_EQ(e.calls, (std::vector<Call>{{block, 1000}}));
}

TEST(EmitCutLines, EmptyBlockEmitsNothing) {
  const auto e = emit("", 7, 16);
  EXPECT_EQ(e.cut, 0u);
  EXPECT_TRUE(e.calls.empty());
}

TEST(EmitCutLines, LineOfExactlyMaxLineIsNotCut) {
  const std::string block = "abcd\nefgh\n";
  const auto e = emit(block, 0, 4);
  EXPECT_EQ(e.cut, 0u);
  EXPECT_EQ(e.calls, (std::vector<Call>{{block, 0}}));
}

TEST(EmitCutLines, LongerLineIsCutAndItsRemainderDropped) {
  // "ab\n" [0,3), 10 x [3,14), "cd\n" [14,17), "efghi\n" [17,23), "j\n" [23,25)
  const std::string block = "ab\n" + std::string(10, 'x') + "\ncd\nefghi\nj\n";
  const auto e = emit(block, 100, 4);
  EXPECT_EQ(e.cut, 2u);
  EXPECT_EQ(e.calls, (std::vector<Call>{{"ab\n", 100}, {"xxxx", 103}, {"cd\n", 114}, {"efgh", 117}, {"j\n", 123}}));
}

TEST(EmitCutLines, CutLinesBackToBack) {
  const std::string block = std::string(9, 'a') + "\n" + std::string(9, 'b') + "\n";
  const auto e = emit(block, 0, 3);
  EXPECT_EQ(e.cut, 2u);
  EXPECT_EQ(e.calls, (std::vector<Call>{{"aaa", 0}, {"bbb", 10}}));
}

TEST(EmitCutLines, FinalLineWithoutNewline) {
  // The final line of a drained file may lack its newline: short, it goes out whole...
  auto e = emit("ab\ncd", 0, 4);
  EXPECT_EQ(e.cut, 0u);
  EXPECT_EQ(e.calls, (std::vector<Call>{{"ab\ncd", 0}}));
  // ...long, it is cut like any other line.
  e = emit("ab\n" + std::string(10, 'z'), 0, 4);
  EXPECT_EQ(e.cut, 1u);
  EXPECT_EQ(e.calls, (std::vector<Call>{{"ab\n", 0}, {"zzzz", 3}}));
}

TEST(EmitCutLines, CrlfCountsTheCarriageReturnAsContent) {
  auto e = emit("abc\r\n", 0, 4);
  EXPECT_EQ(e.cut, 0u);
  EXPECT_EQ(e.calls, (std::vector<Call>{{"abc\r\n", 0}}));
  e = emit("abcd\r\nx\r\n", 0, 4);
  EXPECT_EQ(e.cut, 1u);
  EXPECT_EQ(e.calls, (std::vector<Call>{{"abcd", 0}, {"x\r\n", 6}}));
}

TEST(EmitCutLines, HugeLineAmongShortOnes) {
  const std::string before = "first\nsecond\n";
  const std::string huge(200 << 10, 'L');
  const std::string after = "next line\nlast\n";
  const auto e = emit(before + huge + "\n" + after, 0, 64 << 10);
  EXPECT_EQ(e.cut, 1u);
  ASSERT_EQ(e.calls.size(), 3u);
  EXPECT_EQ(e.calls[0], (Call{before, 0}));
  EXPECT_EQ(e.calls[1], (Call{std::string(64 << 10, 'L'), before.size()}));
  EXPECT_EQ(e.calls[2], (Call{after, before.size() + huge.size() + 1}));
}

TEST(EmitCutLines, EveryEmittedByteSitsAtItsOffset) {
  std::string block;
  for (int i = 0; i < 300; ++i)
    block += std::string(static_cast<std::size_t>((i * 7919) % 97), static_cast<char>('a' + i % 26)) + "\n";
  const std::uint64_t base = 4242;
  const auto e = emit(block, base, 50);
  std::size_t lines = 0;
  for (const auto& c : e.calls) {
    ASSERT_GE(c.base, base);
    EXPECT_EQ(block.substr(static_cast<std::size_t>(c.base - base), c.data.size()), c.data);
    for (char ch : c.data)
      lines += ch == '\n';
    if (c.data.back() != '\n') ++lines;  // a cut line
  }
  EXPECT_EQ(lines, 300u);
  std::uint64_t expected_cut = 0;
  for (int i = 0; i < 300; ++i)
    expected_cut += (i * 7919) % 97 > 50;
  EXPECT_EQ(e.cut, expected_cut);
}

TEST(AppendUtf8, EncodesEveryLengthClass) {
  EXPECT_EQ(utf8_of(0x41), "A");
  EXPECT_EQ(utf8_of(0x00), std::string(1, '\0'));
  EXPECT_EQ(utf8_of(0x7F), "\x7F");
  EXPECT_EQ(utf8_of(0x80), "\xC2\x80");
  EXPECT_EQ(utf8_of(0xE9), "\xC3\xA9");
  EXPECT_EQ(utf8_of(0x7FF), "\xDF\xBF");
  EXPECT_EQ(utf8_of(0x800), "\xE0\xA0\x80");
  EXPECT_EQ(utf8_of(0x20AC), "\xE2\x82\xAC");
  EXPECT_EQ(utf8_of(0xFFFD), "\xEF\xBF\xBD");
  EXPECT_EQ(utf8_of(0xFFFF), "\xEF\xBF\xBF");
  EXPECT_EQ(utf8_of(0x10000), "\xF0\x90\x80\x80");
  EXPECT_EQ(utf8_of(0x1F600), "\xF0\x9F\x98\x80");
  EXPECT_EQ(utf8_of(0x10FFFF), "\xF4\x8F\xBF\xBF");
}

TEST(AppendUtf16, BasicAndSurrogatePairs) {
  EXPECT_EQ(to_utf8(u"héllo €"), "h\xC3\xA9llo \xE2\x82\xAC");
  EXPECT_EQ(to_utf8(u"a\U0001F600b"),
            "a\xF0\x9F\x98\x80"
            "b");
  EXPECT_EQ(to_utf8(u"\U00010000\U0010FFFF"), "\xF0\x90\x80\x80\xF4\x8F\xBF\xBF");
  EXPECT_EQ(to_utf8(u"a\r\n"), "a\r\n");
  EXPECT_EQ(to_utf8(u""), "");
}

TEST(AppendUtf16, UnpairedSurrogatesBecomeReplacementCharacters) {
  const std::string fffd = "\xEF\xBF\xBD";
  EXPECT_EQ(to_utf8(std::u16string{0xD800, u'x'}), fffd + "x");                           // high, then no low
  EXPECT_EQ(to_utf8(std::u16string{u'x', 0xDC00, u'y'}), "x" + fffd + "y");               // lone low
  EXPECT_EQ(to_utf8(std::u16string{u'x', 0xD83D}), "x" + fffd);                           // high at the end
  EXPECT_EQ(to_utf8(std::u16string{0xD800, 0xD83D, 0xDE00}), fffd + "\xF0\x9F\x98\x80");  // high, high, low
  EXPECT_EQ(to_utf8(std::u16string{0xDE00, 0xD83D}), fffd + fffd);                        // low before high: no pair
}

TEST(AppendUtf16, AppendsAndIgnoresAnOddTrailingByte) {
  std::string out = "keep:";
  append_utf16le_as_utf8(out, utf16(u"ab") + "c");
  EXPECT_EQ(out, "keep:ab");
}

}  // namespace
}  // namespace negoheal::sources
