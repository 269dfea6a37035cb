#include "core/duration.h"

#include <gtest/gtest.h>

namespace negoheal {
namespace {

using namespace std::chrono_literals;

TEST(Duration, ParsesUnitsAndSums) {
  EXPECT_EQ(parse_duration("250ms").value(), Duration(250ms));
  EXPECT_EQ(parse_duration("3s").value(), Duration(3s));
  EXPECT_EQ(parse_duration("10m").value(), Duration(10min));
  EXPECT_EQ(parse_duration("2h").value(), Duration(2h));
  EXPECT_EQ(parse_duration("1h30m").value(), Duration(90min));
}

TEST(Duration, RejectsWhatItCannotReadWithAReason) {
  for (const char* bad : {"", "10", "m", "10x", "-5s", "1.5s", "10 m", "99999999999999999999h"}) {
    auto r = parse_duration(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.error().message.find("invalid duration"), std::string::npos);
  }
}

TEST(Duration, FormatsInTheLargestWholeUnit) {
  EXPECT_EQ(format_duration(10min), "10m");
  EXPECT_EQ(format_duration(2h), "2h");
  EXPECT_EQ(format_duration(1500ms), "1500ms");
  EXPECT_EQ(format_duration(3s), "3s");
}

}  // namespace
}  // namespace negoheal
