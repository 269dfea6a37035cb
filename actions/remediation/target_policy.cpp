#include "actions/remediation/target_policy.h"

#include "actions/remediation/shown.h"

#include <boost/asio/ip/address.hpp>
// Asio parses addresses with WSAStringToAddress on Windows, which fails until WSAStartup ran;
// this header's static instance runs it (on POSIX it is empty). Without it every CIDR entry would
// be "not an IP address" on Windows and every IP target refused.
#include <boost/asio/detail/winsock_init.hpp>

#include <algorithm>
#include <optional>
#include <utility>

#include "core/host.h"

namespace negoheal::actions {
namespace {

using Entry = TargetPolicy::Entry;

std::vector<std::string_view> split_labels(std::string_view name) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    const auto dot = name.find('.', start);
    out.push_back(name.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (dot == std::string_view::npos) return out;
    start = dot + 1;
  }
}

// `*` matches any run of characters inside one label. Labels are at most 63 characters, so the
// classic backtrack-to-last-star walk is cheap and has no recursion.
bool label_matches(std::string_view pattern, std::string_view label) {
  std::size_t p = 0, l = 0;
  std::optional<std::size_t> star;
  std::size_t star_l = 0;
  while (l < label.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_l = l;
    } else if (p < pattern.size() && pattern[p] == label[l]) {
      ++p;
      ++l;
    } else if (star) {
      p = *star + 1;
      l = ++star_l;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*')
    ++p;
  return p == pattern.size();
}

bool glob_matches(const Entry& e, std::string_view name) {
  const auto pattern = split_labels(e.pattern);
  const auto labels = split_labels(name);
  if (e.any_depth ? labels.size() <= pattern.size() : labels.size() != pattern.size()) return false;
  const std::size_t skip = labels.size() - pattern.size();
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (!label_matches(pattern[i], labels[skip + i])) return false;
  }
  return true;
}

struct Address {
  bool v6 = false;
  std::array<std::uint8_t, 16> bytes{};
};

// `normalized` already passed normalize_host() and is an IP literal; Asio turns it into bytes.
std::optional<Address> to_address(const std::string& normalized) {
  boost::system::error_code ec;
  const auto a = boost::asio::ip::make_address(normalized, ec);
  if (ec) return std::nullopt;
  Address out;
  if (a.is_v4()) {
    const auto b = a.to_v4().to_bytes();
    std::copy(b.begin(), b.end(), out.bytes.begin());
  } else {
    out.v6 = true;
    out.bytes = a.to_v6().to_bytes();
  }
  return out;
}

bool prefix_matches(const std::array<std::uint8_t, 16>& network, const std::array<std::uint8_t, 16>& addr,
                    unsigned prefix) {
  const unsigned whole = prefix / 8;
  for (unsigned i = 0; i < whole; ++i) {
    if (network[i] != addr[i]) return false;
  }
  const unsigned rest = prefix % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xFFU << (8 - rest));
  return (network[whole] & mask) == (addr[whole] & mask);
}

bool host_bits_clear(const std::array<std::uint8_t, 16>& network, unsigned prefix, unsigned bits) {
  for (unsigned bit = prefix; bit < bits; ++bit) {
    if ((network[bit / 8] >> (7 - bit % 8)) & 1U) return false;
  }
  return true;
}

Result<unsigned> parse_prefix(std::string_view text, unsigned max) {
  // Digits only, no sign, no leading zero: "/08" is as suspicious as an octal octet.
  if (text.empty() || text.size() > 3 || (text.size() > 1 && text[0] == '0') ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return make_error("prefix length '" + shown(text) + "' is not a number");
  }
  unsigned v = 0;
  for (char c : text)
    v = v * 10 + static_cast<unsigned>(c - '0');
  if (v > max) return make_error("prefix length /" + std::to_string(v) + " exceeds /" + std::to_string(max));
  return v;
}

Result<Entry> compile_address(std::string_view text) {
  const auto slash = text.find('/');
  const std::string_view addr_text = text.substr(0, slash);
  auto normalized = normalize_host(addr_text);
  if (!normalized) return normalized.error();
  const HostKind kind = host_kind(*normalized);
  if (kind == HostKind::name) return make_error("'" + shown(addr_text) + "' is not an IP address");
  if (kind == HostKind::ipv4 && addr_text.find(':') != std::string_view::npos) {
    // normalize_host() maps ::ffff:a.b.c.d to a.b.c.d; a mapped range would silently change meaning.
    return make_error("IPv4-mapped IPv6 is not supported here; write the IPv4 form (hosts arrive as IPv4)");
  }
  const auto address = to_address(*normalized);
  if (!address) return make_error("'" + shown(addr_text) + "' is not an IP address");
  const unsigned bits = address->v6 ? 128 : 32;
  unsigned prefix = bits;
  if (slash != std::string_view::npos) {
    auto p = parse_prefix(text.substr(slash + 1), bits);
    if (!p) return p.error();
    prefix = *p;
    if (!host_bits_clear(address->bytes, prefix, bits)) {
      return make_error("host bits set after /" + std::to_string(prefix) +
                        " (write the network address, e.g. the first address of the range)");
    }
  }
  Entry e;
  e.kind = address->v6 ? Entry::Kind::ipv6 : Entry::Kind::ipv4;
  e.network = address->bytes;
  e.prefix = prefix;
  return e;
}

Result<Entry> compile_glob(std::string_view text) {
  std::string pattern;
  pattern.reserve(text.size());
  for (char c : text)
    pattern.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c);
  if (!pattern.empty() && pattern.back() == '.') pattern.pop_back();
  // Syntax check by the host rules: with every `*` read as a letter the pattern must be a name.
  std::string probe = pattern;
  std::replace(probe.begin(), probe.end(), '*', 'a');
  auto as_name = normalize_host(probe);
  if (!as_name || host_kind(*as_name) != HostKind::name) {
    return make_error("not a host name pattern (letters, digits, '-', '.' and '*' only)");
  }
  const bool numeric = std::any_of(pattern.begin(), pattern.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
                       std::all_of(pattern.begin(), pattern.end(),
                                   [](char c) { return (c >= '0' && c <= '9') || c == '.' || c == '*'; });
  if (numeric) return make_error("looks like an address range; write a CIDR such as 10.0.0.0/24");
  Entry e;
  e.kind = Entry::Kind::glob;
  if (pattern.starts_with("*.")) {
    e.any_depth = true;
    pattern.erase(0, 2);
  }
  e.pattern = std::move(pattern);
  return e;
}

Result<Entry> compile_entry(const std::string& text) {
  if (text == "*") return Entry{.kind = Entry::Kind::everything};
  if (text.find('/') != std::string::npos) return compile_address(text);
  if (text.find('*') != std::string::npos) return compile_glob(text);
  auto normalized = normalize_host(text);
  if (!normalized) return normalized.error();
  if (host_kind(*normalized) != HostKind::name) return compile_address(text);
  return Entry{.kind = Entry::Kind::name, .pattern = std::move(*normalized)};
}

Result<std::vector<Entry>> compile_list(const std::vector<std::string>& texts, const char* list) {
  std::vector<Entry> out;
  out.reserve(texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    auto e = compile_entry(texts[i]);
    if (!e) {
      return make_error(std::string(list) + "[" + std::to_string(i) + "] '" + shown(texts[i]) +
                        "': " + e.error().message);
    }
    e->text = texts[i];
    out.push_back(std::move(*e));
  }
  return out;
}

bool entry_matches(const Entry& e, std::string_view host, HostKind kind, const std::optional<Address>& address) {
  switch (e.kind) {
    case Entry::Kind::everything:
      return true;
    case Entry::Kind::name:
      return kind == HostKind::name && e.pattern == host;
    case Entry::Kind::glob:
      return kind == HostKind::name && glob_matches(e, host);
    case Entry::Kind::ipv4:
      return address && !address->v6 && prefix_matches(e.network, address->bytes, e.prefix);
    case Entry::Kind::ipv6:
      return address && address->v6 && prefix_matches(e.network, address->bytes, e.prefix);
  }
  return false;
}

}  // namespace

Result<TargetPolicy> TargetPolicy::compile(const std::vector<std::string>& allow,
                                           const std::vector<std::string>& deny) {
  auto a = compile_list(allow, "allow");
  if (!a) return a.error();
  auto d = compile_list(deny, "deny");
  if (!d) return d.error();
  TargetPolicy p;
  p.allow_ = std::move(*a);
  p.deny_ = std::move(*d);
  return p;
}

Decision TargetPolicy::decide(std::string_view host) const {
  // Callers pass normalized hosts; re-checking costs microseconds and keeps a raw log string from
  // being judged (and later run) in a form the lists were not written for.
  auto normalized = normalize_host(host);
  if (!normalized) return {false, normalized.error().message};
  if (*normalized != host) return {false, "host '" + shown(host) + "' is not in normalized form"};
  const HostKind kind = host_kind(host);
  std::optional<Address> address;
  if (kind != HostKind::name) {
    address = to_address(*normalized);
    if (!address) return {false, "host '" + shown(host) + "' is not a usable IP address"};
  }
  for (std::size_t i = 0; i < deny_.size(); ++i) {
    if (entry_matches(deny_[i], host, kind, address)) {
      return {false, "denied by deny[" + std::to_string(i) + "] '" + shown(deny_[i].text) + "'"};
    }
  }
  if (allow_.empty()) return {false, "the allow list is empty: no target may be touched"};
  for (std::size_t i = 0; i < allow_.size(); ++i) {
    if (entry_matches(allow_[i], host, kind, address)) {
      return {true, "allowed by allow[" + std::to_string(i) + "] '" + shown(allow_[i].text) + "'"};
    }
  }
  return {false, "not matched by any allow entry"};
}

}  // namespace negoheal::actions
