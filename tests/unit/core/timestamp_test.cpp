#include "core/timestamp.h"

#include <gtest/gtest.h>

namespace negoheal {
namespace {

using namespace std::chrono_literals;

TEST(Timestamp, FormatsMillisecondsOrMicroseconds) {
  const auto t = make_time(2026, 11, 24, 10h + 1s + 761ms);
  EXPECT_EQ(format_timestamp(t), "2026-11-24T10:00:01.761Z");
  EXPECT_EQ(format_timestamp(t + 5us), "2026-11-24T10:00:01.761005Z");
}

TEST(Timestamp, ParsesCommonLeadingForms) {
  const auto base = make_time(2026, 11, 24, 10h + 1s);
  struct Case {
    const char* text;
    TimePoint want;
    std::size_t length;
  };
  const Case cases[] = {
      {"2026-11-24T10:00:01Z rest", base, 20},
      {"2026-11-24 10:00:01.761 +01:00 [ERR]", base + 761ms - 1h, 30},
      {"2026-11-24T10:00:01,5+0130", base + 500ms - 90min, 26},
      {"2026-11-24T10:00:01.123456789-05:00", base + 123456us + 5h, 35},
      {"2026-11-24 10:00:01 message", base, 19},
  };
  for (const auto& c : cases) {
    auto p = parse_leading_timestamp(c.text);
    ASSERT_TRUE(p) << c.text;
    EXPECT_EQ(p->time, c.want) << c.text;
    EXPECT_EQ(p->length, c.length) << c.text;
  }
  // A naive time takes the caller's zone.
  auto naive = parse_leading_timestamp("2026-11-24 10:00:01", std::chrono::hours(2));
  ASSERT_TRUE(naive);
  EXPECT_FALSE(naive->has_offset);
  EXPECT_EQ(naive->time, base - 2h);
}

TEST(Timestamp, RejectsNonTimestamps) {
  for (const char* bad : {"", "2026-13-01T00:00:00", "2026-02-30 10:00:00", "26-11-24 10:00:00", "[00:13:11:758]",
                          "2026-11-24T25:00:00"}) {
    EXPECT_FALSE(parse_leading_timestamp(bad)) << bad;
  }
  EXPECT_FALSE(parse_timestamp("yesterday").ok());
  EXPECT_EQ(parse_timestamp("2026-11-24").value(), make_time(2026, 11, 24, {}));
}

}  // namespace
}  // namespace negoheal
