// Value and text formatting: the pieces the renderer is built from.
#include <gtest/gtest.h>

#include "parsers/evtx/crc32.h"
#include "parsers/evtx/text.h"
#include "parsers/evtx/values.h"

namespace negoheal::parsers::evtx {
namespace {

std::string text_of(std::uint8_t type, std::string_view bytes) {
  std::string s;
  append_value_text(s, type, bytes);
  return s;
}

TEST(EvtxText, Crc32MatchesTheStandardCheckValue) {
  EXPECT_EQ(crc32("123456789"), 0xCBF43926U);
}

TEST(EvtxText, FiletimeKeepsHundredNanoseconds) {
  EXPECT_EQ(format_filetime(132497393470840538ULL), "2020-11-13T11:09:07.084053800Z");
  EXPECT_EQ(format_filetime(0), "1601-01-01T00:00:00.000000000Z");
  EXPECT_FALSE(format_filetime(~0ULL).empty());  // year 30828: printed, not rejected
}

TEST(EvtxText, Utf16BadUnitsBecomeReplacementCharacters) {
  std::string s;
  append_utf16le(s, std::string("\x3d\xd8\x00\xde", 4));  // U+1F600 as a surrogate pair
  EXPECT_EQ(s, "\xf0\x9f\x98\x80");
  s.clear();
  append_utf16le(s, std::string("\x00\xdc"
                                "a",
                                3));  // lone low surrogate, odd trailing byte
  EXPECT_EQ(s, "\xef\xbf\xbd\xef\xbf\xbd");
}

TEST(EvtxText, EscapingFollowsTheWindowsRenderer) {
  std::string t, a;
  append_xml_text(t, "<a & 'b' \"c\">\x01");
  append_xml_attribute(a, "<a & 'b' \"c\">");
  EXPECT_EQ(t, "&lt;a &amp; 'b' \"c\"&gt;\xef\xbf\xbd");
  EXPECT_EQ(a, "&lt;a &amp; &apos;b&apos; &quot;c&quot;&gt;");
  std::string n;
  append_xml_name(n, "a b<c");
  EXPECT_EQ(n, "a_b_c");
}

TEST(EvtxValues, SizesThatDoNotFitTheTypeShowTheBytes) {
  EXPECT_EQ(text_of(value_type::uint32, std::string("\x01\x02", 2)), "0102");
  EXPECT_EQ(text_of(value_type::boolean, std::string("\x02", 1)), "true");  // irregular bool widths
  EXPECT_EQ(text_of(value_type::boolean, std::string(4, '\0')), "false");
  EXPECT_EQ(text_of(value_type::sid, std::string("\x01\x05", 2)), "0105");
  EXPECT_EQ(text_of(value_type::systemtime, std::string(16, '\0')), "00000000000000000000000000000000");
}

TEST(EvtxValues, SidWithLargeAuthorityIsHex) {
  EXPECT_EQ(text_of(value_type::sid, std::string("\x01\x00\x01\x00\x00\x00\x00\x00", 8)), "S-1-0x10000000000");
}

TEST(EvtxValues, ArraysSplitIntoItems) {
  const auto items = array_items(0x81, std::string("a\0\0\0\0\0b\0", 8));
  ASSERT_EQ(items.size(), 3U);
  EXPECT_EQ(items[0], "a");
  EXPECT_EQ(items[1], "");
  EXPECT_EQ(items[2], "b");
  EXPECT_EQ(array_items(0x94, std::string("\x01\0\0\0\xff\0\0\0", 8)), (std::vector<std::string>{"0x1", "0xff"}));
  EXPECT_EQ(array_items(0x93, std::string("\x01\x00\x00\x00\x00\x00\x00\x05\x01\x00\x00\x00\x00\x00\x00\x01", 16)),
            (std::vector<std::string>{"S-1-5", "S-1-1"}));
}

}  // namespace
}  // namespace negoheal::parsers::evtx
