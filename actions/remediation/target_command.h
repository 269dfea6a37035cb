#pragma once
// The argv of `remediation.target_command` (ARCHITECTURE §4.4): the admin's template with
// {host} {port} {fix} filled in. Nothing here (or downstream) goes through a shell: the result is
// handed to the OS as separate argv elements.
//
// Placeholder rules (validate_argv_template, used by build_argv and meant for config checking):
//   - a placeholder is "{" + letters/digits/"_" + "}"; only {host}, {port} and {fix} exist, any
//     other one ({HOST}, {target}) is an error rather than text passed on literally;
//   - it is substituted only when it is a whole element ("{host}") or the whole value of an option
//     element "-Name={host}" / "--name={host}" (the name: a letter, then letters, digits, "_", "-");
//   - anywhere else ("Set-X {host}", "{host}.ps1", "-Name=x{host}", "/Name:{host}") it is an error:
//     a value inside a larger string is parsed by the callee (a shell, PowerShell, a path), and that
//     is the injection this module exists to prevent;
//   - the program (element 0) is never a placeholder, and no element may contain a NUL.
// Braces that do not form a placeholder ("{", "{ x }", "@{a=1}") are left alone.
//
// Values (build_argv): the host must already be in normalize_host() form (the allow/deny decision
// was made on exactly that string) and is re-validated here; the port is 1-65535; the fix is one of
// target-tls, target-nla, target-secure. No value may start with "-" (it would be read as an option).
// With these rules a value is [a-z0-9.:-] only, so it also survives the Windows command-line
// round trip (CommandLineToArgvW / the CRT) as one element without quoting surprises.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace negoheal::actions {

inline constexpr std::array<std::string_view, 3> k_target_fixes = {"target-tls", "target-nla", "target-secure"};

struct TargetValues {
  std::string host;  // normalize_host() form
  std::uint16_t port = 0;
  std::string fix;  // one of k_target_fixes
};

// Errors name the element: "argv[3] 'Set-X {host}': ...".
Status validate_argv_template(const std::vector<std::string>& configured_argv);

// Refuses (and builds nothing) when the template or any value breaks the rules above.
Result<std::vector<std::string>> build_argv(const std::vector<std::string>& configured_argv,
                                            const TargetValues& values);

}  // namespace negoheal::actions
