#include "parsers/nego_tokens.h"

#include <array>

namespace negoheal::parsers {
namespace {

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}
bool is_hex(char c) {
  c = lower(c);
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_word(char c) {
  return is_hex(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

// "0x0002000C" or "0x2000C" (any case), not part of a longer hex number.
bool has_hex_code(std::string_view s) {
  for (std::size_t pos = s.find_first_of("xX"); pos != std::string_view::npos; pos = s.find_first_of("xX", pos + 1)) {
    if (pos == 0 || s[pos - 1] != '0') continue;
    if (pos >= 2 && is_word(s[pos - 2])) continue;
    std::size_t end = pos + 1;
    while (end < s.size() && is_hex(s[end]))
      ++end;
    std::string_view digits = s.substr(pos + 1, end - pos - 1);
    while (digits.size() > 1 && digits.front() == '0')
      digits.remove_prefix(1);
    if (digits.size() == 5 && digits[0] == '2' && digits[1] == '0' && digits[2] == '0' && digits[3] == '0' &&
        lower(digits[4]) == 'c') {
      if (end < s.size() && is_word(s[end])) continue;
      return true;
    }
  }
  return false;
}

bool has_decimal_code(std::string_view s) {
  for (std::size_t pos = s.find("131084"); pos != std::string_view::npos; pos = s.find("131084", pos + 1)) {
    const bool left_ok = pos == 0 || !is_digit(s[pos - 1]);
    const bool right_ok = pos + 6 >= s.size() || !is_digit(s[pos + 6]);
    if (left_ok && right_ok) return true;
  }
  return false;
}

constexpr std::array<std::string_view, 7> k_neg_failure_names{
    "",
    "SSL_REQUIRED_BY_SERVER",
    "SSL_NOT_ALLOWED_BY_SERVER",
    "SSL_CERT_NOT_ON_SERVER",
    "INCONSISTENT_FLAGS",
    "HYBRID_REQUIRED_BY_SERVER",
    "SSL_WITH_USER_AUTH_REQUIRED_BY_SERVER",
};

}  // namespace

bool has_failure_code_token(std::string_view line) {
  return line.find("ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED") != std::string_view::npos || has_hex_code(line) ||
         has_decimal_code(line) ||
         line.find("The connection failed at negotiating security settings") != std::string_view::npos;
}

bool has_nego_failure_line(std::string_view line) {
  return line.find("Protocol Security Negotiation Failure") != std::string_view::npos;
}

std::optional<std::string_view> server_failure_name(std::string_view line) {
  for (std::size_t pos = line.find("Error: "); pos != std::string_view::npos; pos = line.find("Error: ", pos + 1)) {
    const auto rest = line.substr(pos + 7);
    for (std::size_t k = 1; k < k_neg_failure_names.size(); ++k) {
      const auto name = k_neg_failure_names[k];
      if (rest.substr(0, name.size()) == name && (rest.size() == name.size() || !is_word(rest[name.size()]))) {
        return name;
      }
    }
  }
  return std::nullopt;
}

std::string_view neg_failure_name(unsigned code) {
  return code < k_neg_failure_names.size() ? k_neg_failure_names[code] : std::string_view{};
}

}  // namespace negoheal::parsers
