#include "core/host.h"

#include <array>
#include <charconv>

namespace negoheal {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::optional<std::array<std::uint8_t, 4>> parse_ipv4(std::string_view s) {
  std::array<std::uint8_t, 4> out{};
  std::size_t part = 0;
  std::size_t i = 0;
  while (part < 4) {
    std::size_t start = i;
    unsigned v = 0;
    while (i < s.size() && is_digit(s[i]) && i - start < 3)
      v = v * 10 + static_cast<unsigned>(s[i++] - '0');
    const std::size_t len = i - start;
    if (len == 0 || v > 255 || (len > 1 && s[start] == '0')) return std::nullopt;  // no octal
    out[part++] = static_cast<std::uint8_t>(v);
    if (part < 4) {
      if (i >= s.size() || s[i] != '.') return std::nullopt;
      ++i;
    }
  }
  if (i != s.size()) return std::nullopt;
  return out;
}

std::string format_ipv4(const std::array<std::uint8_t, 4>& a) {
  return std::to_string(a[0]) + "." + std::to_string(a[1]) + "." + std::to_string(a[2]) + "." + std::to_string(a[3]);
}

// RFC 4291 text forms, including an embedded dotted quad in the last 32 bits.
std::optional<std::array<std::uint16_t, 8>> parse_ipv6(std::string_view s) {
  if (s.size() < 2 || s.size() > 45) return std::nullopt;
  std::array<std::uint16_t, 8> words{};
  int n = 0;
  int gap = -1;  // index in words where "::" stood
  std::size_t i = 0;
  if (s.substr(0, 2) == "::") {
    gap = 0;
    i = 2;
    if (i == s.size()) return words;
  } else if (s[0] == ':') {
    return std::nullopt;
  }
  while (i < s.size()) {
    if (n >= 8) return std::nullopt;
    // An embedded IPv4 address ends the text.
    const auto rest = s.substr(i);
    if (rest.find(':') == std::string_view::npos && rest.find('.') != std::string_view::npos) {
      if (n > 6) return std::nullopt;
      auto v4 = parse_ipv4(rest);
      if (!v4) return std::nullopt;
      words[static_cast<std::size_t>(n++)] = static_cast<std::uint16_t>(((*v4)[0] << 8) | (*v4)[1]);
      words[static_cast<std::size_t>(n++)] = static_cast<std::uint16_t>(((*v4)[2] << 8) | (*v4)[3]);
      break;
    }
    std::size_t start = i;
    unsigned v = 0;
    while (i < s.size() && is_hex(s[i]) && i - start < 4) {
      const char c = lower(s[i++]);
      v = v * 16 + static_cast<unsigned>(is_digit(c) ? c - '0' : c - 'a' + 10);
    }
    if (i == start) return std::nullopt;
    words[static_cast<std::size_t>(n++)] = static_cast<std::uint16_t>(v);
    if (i == s.size()) break;
    if (s[i] != ':') return std::nullopt;
    ++i;
    if (i < s.size() && s[i] == ':') {
      if (gap >= 0) return std::nullopt;
      gap = n;
      ++i;
      if (i == s.size()) break;
    } else if (i == s.size()) {
      return std::nullopt;  // trailing single ':'
    }
  }
  if (gap < 0) {
    if (n != 8) return std::nullopt;
    return words;
  }
  if (n >= 8) return std::nullopt;
  std::array<std::uint16_t, 8> out{};
  const int tail = n - gap;
  for (int k = 0; k < gap; ++k)
    out[static_cast<std::size_t>(k)] = words[static_cast<std::size_t>(k)];
  for (int k = 0; k < tail; ++k)
    out[static_cast<std::size_t>(8 - tail) + static_cast<std::size_t>(k)] =
        words[static_cast<std::size_t>(gap) + static_cast<std::size_t>(k)];
  return out;
}

// RFC 5952: lower-case hex, no leading zeros, the longest run (>1) of zero words as "::".
std::string format_ipv6(const std::array<std::uint16_t, 8>& w) {
  int best_start = -1, best_len = 0;
  for (int k = 0; k < 8;) {
    if (w[static_cast<std::size_t>(k)] != 0) {
      ++k;
      continue;
    }
    int j = k;
    while (j < 8 && w[static_cast<std::size_t>(j)] == 0)
      ++j;
    if (j - k > best_len && j - k > 1) {
      best_start = k;
      best_len = j - k;
    }
    k = j;
  }
  std::string out;
  static constexpr char k_hex[] = "0123456789abcdef";
  for (int k = 0; k < 8; ++k) {
    if (k == best_start) {
      out += "::";
      k += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    const unsigned v = w[static_cast<std::size_t>(k)];
    bool started = false;
    for (int shift = 12; shift >= 0; shift -= 4) {
      const unsigned nib = (v >> static_cast<unsigned>(shift)) & 0xF;
      if (nib != 0 || started || shift == 0) {
        out += k_hex[nib];
        started = true;
      }
    }
  }
  return out;
}

bool valid_label(std::string_view label) {
  if (label.empty() || label.size() > 63) return false;
  if (label.front() == '-' || label.back() == '-') return false;
  for (char c : label) {
    if (!(is_digit(c) || (c >= 'a' && c <= 'z') || c == '-')) return false;
  }
  return true;
}

}  // namespace

Result<std::string> normalize_host(std::string_view text) {
  auto reject = [&](const char* why) {
    std::string shown(text.substr(0, 64));
    for (char& c : shown) {
      if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) c = '?';
    }
    return make_error("invalid host '" + shown + (text.size() > 64 ? "...'" : "'") + ": " + why);
  };
  if (text.empty()) return reject("empty");
  if (text.size() > k_max_host_length + 2) return reject("too long");
  if (text.front() == '[') {
    if (text.back() != ']') return reject("unbalanced brackets");
    auto v6 = parse_ipv6(text.substr(1, text.size() - 2));
    if (!v6) return reject("not an IPv6 literal");
    text = text.substr(1, text.size() - 2);
  }
  if (text.find(':') != std::string_view::npos) {
    auto v6 = parse_ipv6(text);
    if (!v6) return reject("not an IPv6 literal");
    const auto& w = *v6;
    if (w[0] == 0 && w[1] == 0 && w[2] == 0 && w[3] == 0 && w[4] == 0 && w[5] == 0xffff) {
      return format_ipv4({static_cast<std::uint8_t>(w[6] >> 8), static_cast<std::uint8_t>(w[6] & 0xff),
                          static_cast<std::uint8_t>(w[7] >> 8), static_cast<std::uint8_t>(w[7] & 0xff)});
    }
    return format_ipv6(w);
  }
  std::string name;
  name.reserve(text.size());
  for (char c : text)
    name.push_back(lower(c));
  if (!name.empty() && name.back() == '.') name.pop_back();
  if (name.empty()) return reject("empty");
  if (name.size() > k_max_host_length) return reject("longer than 253 characters");
  bool all_numeric = true;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = name.find('.', start);
    const std::string_view label =
        std::string_view(name).substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!valid_label(label)) return reject("not an RFC 1123 host name or IP literal");
    for (char c : label)
      all_numeric = all_numeric && is_digit(c);
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  if (all_numeric) {
    auto v4 = parse_ipv4(name);
    if (!v4) return reject("numeric name that is not a valid IPv4 address");
    return format_ipv4(*v4);
  }
  return name;
}

HostKind host_kind(std::string_view normalized) {
  if (normalized.find(':') != std::string_view::npos) return HostKind::ipv6;
  if (parse_ipv4(normalized)) return HostKind::ipv4;
  return HostKind::name;
}

Result<std::uint16_t> parse_port(std::string_view text) {
  unsigned v = 0;
  if (text.empty() || text.size() > 5) return make_error("invalid port '" + std::string(text.substr(0, 16)) + "'");
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size() || v == 0 || v > 65535) {
    return make_error("invalid port '" + std::string(text) + "' (expected 1-65535)");
  }
  return static_cast<std::uint16_t>(v);
}

Result<HostPort> parse_host_port(std::string_view text) {
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos)
      return make_error("invalid host '" + std::string(text.substr(0, 64)) + "': unbalanced brackets");
    auto host = normalize_host(text.substr(0, close + 1));
    if (!host) return host.error();
    if (close + 1 == text.size()) return HostPort{std::move(*host), std::nullopt};
    if (text[close + 1] != ':') return make_error("invalid host:port '" + std::string(text.substr(0, 64)) + "'");
    auto port = parse_port(text.substr(close + 2));
    if (!port) return port.error();
    return HostPort{std::move(*host), *port};
  }
  const auto colon = text.find(':');
  if (colon != std::string_view::npos && text.find(':', colon + 1) == std::string_view::npos) {
    auto host = normalize_host(text.substr(0, colon));
    if (!host) return host.error();
    auto port = parse_port(text.substr(colon + 1));
    if (!port) return port.error();
    return HostPort{std::move(*host), *port};
  }
  auto host = normalize_host(text);
  if (!host) return host.error();
  return HostPort{std::move(*host), std::nullopt};
}

std::string format_host_port(std::string_view host, std::uint16_t port) {
  if (host.find(':') != std::string_view::npos) return "[" + std::string(host) + "]:" + std::to_string(port);
  return std::string(host) + ":" + std::to_string(port);
}

}  // namespace negoheal
