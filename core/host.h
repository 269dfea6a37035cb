#pragma once
// Host names read from logs and events are untrusted. A host becomes a key (and later an argv
// element) only after it passed normalize_host(): an RFC 1123 name or an IP literal, lower-cased,
// at most 253 characters. Anything else is rejected, never repaired.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace negoheal {

inline constexpr std::size_t k_max_host_length = 253;

enum class HostKind { name, ipv4, ipv6 };

// Returns the canonical form: lower-case name without a trailing dot, dotted-quad IPv4, or
// RFC 5952 IPv6 (IPv4-mapped IPv6 becomes the IPv4 address). "[v6]" brackets are accepted.
Result<std::string> normalize_host(std::string_view text);
HostKind host_kind(std::string_view normalized);

struct HostPort {
  std::string host;  // normalized
  std::optional<std::uint16_t> port;
};

// "host", "host:port", "[v6]", "[v6]:port", or a bare IPv6 literal (no port).
Result<HostPort> parse_host_port(std::string_view text);
Result<std::uint16_t> parse_port(std::string_view text);

// "host:port" with brackets around IPv6.
std::string format_host_port(std::string_view host, std::uint16_t port);

}  // namespace negoheal
