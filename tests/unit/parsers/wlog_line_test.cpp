#include "parsers/freerdp/wlog_line.h"

#include <gtest/gtest.h>

namespace negoheal::parsers {
namespace {

using namespace std::chrono_literals;

TEST(WlogLine, Reads2xPrefix) {
  auto w =
      parse_wlog_line("[00:14:11:758] [24391:24401] [WARN][com.freerdp.core.nego] - Error: SSL_NOT_ALLOWED_BY_SERVER");
  ASSERT_TRUE(w);
  EXPECT_EQ(w->time_of_day, 14min + 11s + 758ms);
  EXPECT_EQ(w->thread, "24391:24401");
  EXPECT_EQ(w->level, "WARN");
  EXPECT_EQ(w->logger, "com.freerdp.core.nego");
  EXPECT_EQ(w->function, "");
  EXPECT_EQ(w->message, "Error: SSL_NOT_ALLOWED_BY_SERVER");
}

TEST(WlogLine, Reads3xPrefixWithFunctionAndContext) {
  auto w = parse_wlog_line(
      "[23:59:59:100] [10820:00001028] [ERROR][com.freerdp.core] - [rdp_client_connect]: "
      "ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED [0x0002000C]");
  ASSERT_TRUE(w);
  EXPECT_EQ(w->thread, "10820:00001028");
  EXPECT_EQ(w->function, "rdp_client_connect");
  EXPECT_EQ(w->message, "ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED [0x0002000C]");
  auto c = parse_wlog_line(
      "[01:02:03:004] [1:2] [DEBUG][com.freerdp.core.nego] - [nego_send][0x55d0]: RequestedProtocols: 3");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->function, "nego_send");
  EXPECT_EQ(c->message, "RequestedProtocols: 3");
}

TEST(WlogLine, MessageThatMerelyStartsWithABracketIsKept) {
  auto w = parse_wlog_line("[01:02:03:004] [1:2] [INFO][x] - [not a function] text");
  ASSERT_TRUE(w);
  EXPECT_EQ(w->message, "[not a function] text");
}

TEST(WlogLine, RejectsOtherFormats) {
  for (const char* bad : {"", "Build type:          RelWithDebInfo", "[20261124-00:13:16] [INFO ] xrdp line",
                          "[00:14:11:758] [24391] [WARN][x] - no tid", "[00:14:11:758] [a:b:c] [WARN][x] - m",
                          "[25:14:11:758] [1:2] [WARN][x] - bad hour", "[00:14:11:758] [1:2] [warn][x] - lower",
                          "2026-11-24 10:00:00 [ERR] message"}) {
    EXPECT_FALSE(parse_wlog_line(bad)) << bad;
  }
}

}  // namespace
}  // namespace negoheal::parsers
