#include "actions/remediation/target_command.h"

#include "actions/remediation/shown.h"

#include <algorithm>
#include <optional>

#include "core/host.h"

namespace negoheal::actions {
namespace {

constexpr std::array<std::string_view, 3> k_placeholders = {"{host}", "{port}", "{fix}"};

bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_word(char c) {
  return is_alpha(c) || (c >= '0' && c <= '9') || c == '_';
}

// The next "{word}" at or after `from`, or npos.
std::size_t find_placeholder(std::string_view s, std::size_t from, std::string_view* token) {
  for (std::size_t i = s.find('{', from); i != std::string_view::npos; i = s.find('{', i + 1)) {
    std::size_t j = i + 1;
    while (j < s.size() && is_word(s[j]))
      ++j;
    if (j > i + 1 && j < s.size() && s[j] == '}') {
      *token = s.substr(i, j - i + 1);
      return i;
    }
  }
  return std::string_view::npos;
}

bool known(std::string_view token) {
  return std::find(k_placeholders.begin(), k_placeholders.end(), token) != k_placeholders.end();
}

// "-Name" or "--name": what PowerShell, getopt_long and most CLIs read as the name of `name=value`.
bool is_option_name(std::string_view s) {
  const std::size_t dashes = s.starts_with("--") ? 2 : (s.starts_with("-") ? 1 : 0);
  if (dashes == 0 || s.size() == dashes || !is_alpha(s[dashes])) return false;
  return std::all_of(s.begin() + static_cast<std::ptrdiff_t>(dashes), s.end(),
                     [](char c) { return is_word(c) || c == '-'; });
}

// Where a template element takes a value: the offset the value starts at and the placeholder.
struct Slot {
  std::size_t at = 0;
  std::string_view placeholder;
};

Result<std::optional<Slot>> check_element(std::string_view arg, std::size_t index) {
  auto fail = [&](const std::string& why) {
    return make_error("argv[" + std::to_string(index) + "] '" + shown(arg) + "': " + why);
  };
  if (arg.find('\0') != std::string_view::npos) return fail("contains a NUL character");
  std::string_view token;
  std::size_t pos = find_placeholder(arg, 0, &token);
  if (pos == std::string_view::npos) return std::optional<Slot>{};
  for (std::size_t p = pos; p != std::string_view::npos; p = find_placeholder(arg, p + 1, &token)) {
    if (!known(token)) return fail("unknown placeholder '" + std::string(token) + "' (known: {host} {port} {fix})");
  }
  if (index == 0) return fail("the program cannot contain a placeholder");
  if (known(arg)) return std::optional<Slot>{Slot{0, arg}};
  const std::size_t eq = arg.find('=');
  if (eq != std::string_view::npos && is_option_name(arg.substr(0, eq)) && known(arg.substr(eq + 1))) {
    return std::optional<Slot>{Slot{eq + 1, arg.substr(eq + 1)}};
  }
  return fail("a placeholder must be a whole argument or the whole value of -Name=value / --name=value");
}

Status check_values(const TargetValues& v) {
  if (std::find(k_target_fixes.begin(), k_target_fixes.end(), v.fix) == k_target_fixes.end()) {
    return make_error("refused: fix '" + shown(v.fix) + "' is not target-tls, target-nla or target-secure");
  }
  if (v.port == 0) return make_error("refused: port 0");
  // Defense in depth: the caller normalized the host before the allow/deny decision; a string that
  // does not survive normalization unchanged is not the one that was judged.
  auto normalized = normalize_host(v.host);
  if (!normalized) return make_error("refused: " + normalized.error().message);
  if (*normalized != v.host) return make_error("refused: host '" + shown(v.host) + "' is not in normalized form");
  for (const std::string_view value : {std::string_view(v.host), std::string_view(v.fix)}) {
    if (value.starts_with("-")) return make_error("refused: value '" + shown(value) + "' would be read as an option");
  }
  return {};
}

}  // namespace

Status validate_argv_template(const std::vector<std::string>& configured_argv) {
  if (configured_argv.empty() || configured_argv[0].empty()) return make_error("argv: the program is missing");
  for (std::size_t i = 0; i < configured_argv.size(); ++i) {
    auto slot = check_element(configured_argv[i], i);
    if (!slot) return slot.error();
  }
  return {};
}

Result<std::vector<std::string>> build_argv(const std::vector<std::string>& configured_argv,
                                            const TargetValues& values) {
  if (auto ok = validate_argv_template(configured_argv); !ok) return ok.error();
  if (auto ok = check_values(values); !ok) return ok.error();
  const std::string port = std::to_string(values.port);
  std::vector<std::string> out;
  out.reserve(configured_argv.size());
  for (std::size_t i = 0; i < configured_argv.size(); ++i) {
    const std::string& arg = configured_argv[i];
    auto slot = check_element(arg, i);
    if (!slot) return slot.error();
    if (!*slot) {
      out.push_back(arg);
      continue;
    }
    const std::string_view p = (*slot)->placeholder;
    const std::string& value = p == "{host}" ? values.host : (p == "{port}" ? port : values.fix);
    out.push_back(arg.substr(0, (*slot)->at) + value);
  }
  return out;
}

}  // namespace negoheal::actions
