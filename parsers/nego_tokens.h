#pragma once
// The tokens that mark ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED in any log (DOMAIN §2-3), and the
// detail lines around it. Codes are compared whole: ERRINFO_LOGOFF_BY_USER [0x0001000C] shares the
// low word 0x0C and is not this failure.
#include <optional>
#include <string_view>

namespace negoheal::parsers {

// The error itself: ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED, 0x0002000C / 0x2000C (any case),
// 131084, or FreeRDP's description "The connection failed at negotiating security settings".
bool has_failure_code_token(std::string_view line);

// "Protocol Security Negotiation Failure" (FreeRDP's nego module, just before the error).
bool has_nego_failure_line(std::string_view line);

// "Error: SSL_NOT_ALLOWED_BY_SERVER" and the other RDP_NEG_FAILURE names (3.18+ appends
// " [0x00000002]"). Returns the name.
std::optional<std::string_view> server_failure_name(std::string_view line);

// RDP_NEG_FAILURE code -> name (MS-RDPBCGR 2.2.1.2.2), empty for unknown codes.
std::string_view neg_failure_name(unsigned code);

}  // namespace negoheal::parsers
