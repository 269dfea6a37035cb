#pragma once
// Which targets remediation may touch at all (ARCHITECTURE §5: "an allowlist decides which targets
// may be touched"). Compiled once from `remediation.allow` / `remediation.deny`; decide() is pure.
//
// Entry forms (case-insensitive, a trailing dot is ignored):
//   rds01.corp.example   exact host name; matches that name only (no DNS, no short-name expansion)
//   *.corp.example       a leading "*" label stands for ONE OR MORE whole labels: matches
//                        a.corp.example and a.b.corp.example, never corp.example itself
//   rds-*.corp.example   any other "*" matches zero or more characters inside ONE label, never a dot
//   *                    alone: every target (any name, 0.0.0.0/0 and ::/0)
//   10.0.0.0/8, fd00::/8 CIDR; the address must be the network itself (10.0.0.1/8 is an error,
//                        never silently widened or narrowed)
//   10.1.2.3, fd00::1    one address (/32, /128)
// Names match only name entries and IP literals only CIDR/address entries: a name never matches a
// CIDR (that would need DNS, which an attacker-influenced log can steer), and a glob that looks
// like an address range ("10.0.0.*") is an error that asks for a CIDR. IPv4-mapped IPv6 hosts
// arrive as IPv4 (normalize_host), so IPv4 entries cover them.
//
// Decision order: an invalid host is refused; deny wins over allow; an empty allow list allows
// nothing (remediation is opted into per target); otherwise the first matching allow entry.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace negoheal::actions {

struct Decision {
  bool allowed = false;
  std::string reason;  // names the list, the index and the entry that decided, for the audit row
};

class TargetPolicy {
 public:
  // Errors name the list and the index of the first bad entry: "allow[2]: ...".
  static Result<TargetPolicy> compile(const std::vector<std::string>& allow, const std::vector<std::string>& deny);

  // `host` is expected in normalize_host() form; anything that is not is refused.
  [[nodiscard]] Decision decide(std::string_view host) const;

  // One compiled entry. Public so the matcher is a plain function of (entry, host).
  struct Entry {
    enum class Kind { everything, name, glob, ipv4, ipv6 };
    Kind kind = Kind::name;
    std::string text;  // as configured, for reasons and messages
    // name: the normalized name. glob: the normalized pattern; `any_depth` when it began with "*.",
    // in which case `pattern` is what follows that first label.
    std::string pattern;
    bool any_depth = false;
    // ipv4/ipv6: network bytes (IPv4 uses the first 4) and prefix length.
    std::array<std::uint8_t, 16> network{};
    unsigned prefix = 0;
  };

 private:
  std::vector<Entry> allow_;
  std::vector<Entry> deny_;
};

}  // namespace negoheal::actions
