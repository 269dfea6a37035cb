#include "parsers/nego_tokens.h"

#include <gtest/gtest.h>

namespace negoheal::parsers {
namespace {

TEST(NegoTokens, FindsEveryFormOfTheCode) {
  for (const char* line :
       {"rdp_client_connect:freerdp_set_last_error_ex ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED [0x0002000C]",
        "connection failed 0x2000c", "connection failed 0X0002000c.", "error 131084", "code=131084;",
        "The connection failed at negotiating security settings.", "(0x0002000C)"}) {
    EXPECT_TRUE(has_failure_code_token(line)) << line;
  }
}

TEST(NegoTokens, DoesNotConfuseNeighbouringCodes) {
  for (const char* line :
       {"rdp_set_error_info:freerdp_set_last_error_ex ERRINFO_LOGOFF_BY_USER [0x0001000C]",
        "freerdp_abort_connect:freerdp_set_last_error_ex ERRCONNECT_CONNECT_CANCELLED [0x0002000B]",
        "Authentication only, exit status 0", "Authentication only, exit status 1", "value 1310840", "v=2131084",
        "0x12000C", "0x0002000CD", "x0x2000C", "Error: protocol security negotiation or connection failure"}) {
    EXPECT_FALSE(has_failure_code_token(line)) << line;
  }
}

TEST(NegoTokens, NamesServerFailures) {
  EXPECT_EQ(server_failure_name("Error: SSL_NOT_ALLOWED_BY_SERVER").value(), "SSL_NOT_ALLOWED_BY_SERVER");
  EXPECT_EQ(server_failure_name("Error: SSL_NOT_ALLOWED_BY_SERVER [0x00000002]").value(), "SSL_NOT_ALLOWED_BY_SERVER");
  EXPECT_EQ(server_failure_name("Error: HYBRID_REQUIRED_BY_SERVER").value(), "HYBRID_REQUIRED_BY_SERVER");
  EXPECT_EQ(server_failure_name("Error: SSL_REQUIRED_BY_SERVER").value(), "SSL_REQUIRED_BY_SERVER");
  EXPECT_FALSE(server_failure_name("Error: SSL_REQUIRED_BY_SERVERX"));
  EXPECT_FALSE(server_failure_name("SSL_NOT_ALLOWED_BY_SERVER without the prefix"));
  EXPECT_EQ(neg_failure_name(2), "SSL_NOT_ALLOWED_BY_SERVER");
  EXPECT_EQ(neg_failure_name(6), "SSL_WITH_USER_AUTH_REQUIRED_BY_SERVER");
  EXPECT_EQ(neg_failure_name(7), "");
  EXPECT_TRUE(has_nego_failure_line("Protocol Security Negotiation Failure"));
}

}  // namespace
}  // namespace negoheal::parsers
