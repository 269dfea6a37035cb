#include "agent/diagnose/target_port.h"

#include "agent/sources/tail/glob.h"

#include <nlohmann/json.hpp>

#include "core/host.h"

namespace negoheal::diagnose {
namespace {

using json = nlohmann::json;

constexpr std::string_view k_key = "OverridePort";
constexpr std::string_view k_bom = "\xEF\xBB\xBF";

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// A host pattern with wildcards cannot go through normalize_host(); it gets the same character set
// (letters, digits, '-', '.') plus the wildcards, lower-cased, without a trailing dot.
Result<std::string> normalize_glob(std::string_view text) {
  if (!text.empty() && text.back() == '.') text.remove_suffix(1);
  if (text.empty() || text.size() > k_max_host_length) return make_error("invalid host pattern");
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const char l = lower(c);
    const bool ok = (l >= 'a' && l <= 'z') || (l >= '0' && l <= '9') || l == '-' || l == '.' || l == '*' || l == '?';
    if (!ok) return make_error("invalid character in host pattern");
    out += l;
  }
  if (out.find("..") != std::string::npos) return make_error("empty label in host pattern");
  return out;
}

}  // namespace

Result<OverridePort> parse_override_port(std::string_view entry) {
  const auto fail = [&](const std::string& why) {
    return make_error("OverridePort entry '" + std::string(entry.substr(0, 80)) + "': " + why);
  };
  if (entry.find_first_of("*?") == std::string_view::npos) {
    auto hp = parse_host_port(entry);
    if (!hp) return fail(hp.error().message);
    if (!hp->port) return fail("expected host:port");
    return OverridePort{hp->host, *hp->port, host_kind(hp->host) != HostKind::name};
  }
  const auto colon = entry.rfind(':');
  if (colon == std::string_view::npos) return fail("expected host:port");
  auto pattern = normalize_glob(entry.substr(0, colon));
  if (!pattern) return fail(pattern.error().message);
  auto port = parse_port(entry.substr(colon + 1));
  if (!port) return fail(port.error().message);
  return OverridePort{std::move(*pattern), *port, false};
}

Result<std::vector<OverridePort>> parse_override_ports(std::string_view text) {
  if (text.starts_with(k_bom)) text.remove_prefix(k_bom.size());
  json doc;
  try {
    doc = json::parse(text.begin(), text.end());
  } catch (const json::exception& e) {
    return make_error(std::string("sbpam_rdp.json: invalid JSON: ") + e.what());
  }
  if (!doc.is_object()) return make_error("sbpam_rdp.json: expected a JSON object at the top level");
  const json* list = nullptr;
  if (auto it = doc.find(k_key); it != doc.end()) {
    list = &*it;
  } else {
    for (auto i = doc.begin(); i != doc.end(); ++i) {
      if (iequals(i.key(), k_key)) {
        list = &i.value();
        break;
      }
    }
  }
  std::vector<OverridePort> out;
  if (list == nullptr || list->is_null()) return out;
  if (!list->is_array()) return make_error("sbpam_rdp.json: /OverridePort: expected an array of \"host:port\" strings");
  for (std::size_t i = 0; i < list->size(); ++i) {
    const auto& item = (*list)[i];
    const std::string where = "sbpam_rdp.json: /OverridePort/" + std::to_string(i) + ": ";
    if (!item.is_string()) return make_error(where + "expected a \"host:port\" string");
    auto entry = parse_override_port(item.get_ref<const std::string&>());
    if (!entry) return make_error(where + entry.error().message);
    out.push_back(std::move(*entry));
  }
  return out;
}

bool matches(const OverridePort& o, std::string_view host) {
  if (host_kind(host) != HostKind::name || o.is_ip) return o.is_ip && o.pattern == host;
  return sources::glob_match(o.pattern, host, /*ignore_case=*/true);
}

TargetPort probe_port(std::string_view host, std::optional<std::uint16_t> event_port,
                      const std::vector<OverridePort>& overrides, std::uint16_t default_port) {
  if (event_port && *event_port != 0) return {*event_port, "port from the event"};
  for (const auto& o : overrides) {
    if (matches(o, host)) return {o.port, "OverridePort " + format_host_port(o.pattern, o.port)};
  }
  return {default_port, "default port"};
}

}  // namespace negoheal::diagnose
