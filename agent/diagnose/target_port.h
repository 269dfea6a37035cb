#pragma once
// Which port to probe: the one the proxy used (DOMAIN §6: probe the same host and port the proxy
// uses). Pure functions over the proxy's sbpam_rdp.json text and an incident's host and port; no
// file or clock access, so the daemon decides when to (re)read the file.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace negoheal::diagnose {

// One `OverridePort` entry of sbpam_rdp.json: "host:port", "*.example.com:5589", "[v6]:port".
struct OverridePort {
  std::string pattern;  // lower-case host glob (* and ?), or a normalized IP literal
  std::uint16_t port = 0;
  bool is_ip = false;  // an IP literal: matches only that address, exactly

  friend bool operator==(const OverridePort&, const OverridePort&) = default;
};

// Parses one entry. Errors name what is wrong with it.
Result<OverridePort> parse_override_port(std::string_view entry);

// The `OverridePort` array of the proxy's sbpam_rdp.json, in file order. A UTF-8 BOM is allowed;
// the key is matched case-insensitively (exact spelling first) because the proxy's reader is not
// known to be case-sensitive. No key (or null): empty. Invalid JSON, an array that is not one, or
// any invalid entry: an error naming it (a half-read override list would probe the wrong port).
Result<std::vector<OverridePort>> parse_override_ports(std::string_view sbpam_rdp_json_text);

// Case-insensitive glob on host names (`*` any run of characters, dots included; `?` one
// character); IP literals match only an identical IP pattern. `host` is normalized (core/host.h).
bool matches(const OverridePort& override_port, std::string_view host);

struct TargetPort {
  std::uint16_t port = 0;
  std::string reason;  // "port from the event", "OverridePort *.corp.example:5589", "default port"
};

// The event's port wins (the proxy logged what it connected to); else the first matching
// OverridePort; else `default_port`.
TargetPort probe_port(std::string_view host, std::optional<std::uint16_t> event_port,
                      const std::vector<OverridePort>& overrides, std::uint16_t default_port);

}  // namespace negoheal::diagnose
