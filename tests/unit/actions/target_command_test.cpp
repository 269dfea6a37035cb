#include "actions/remediation/target_command.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "actions/remediation/target_policy.h"
#include "core/host.h"
#include "tests/test_support.h"
#include "tests/unit/actions/run_argv.h"

namespace negoheal::actions {
namespace {

using Argv = std::vector<std::string>;
using negoheal::testing::read_file;
using negoheal::testing::TempDir;

TargetValues default_values() {
  return {.host = "rds01.corp.example", .port = 3389, .fix = "target-secure"};
}

Argv built(const Argv& tmpl, const TargetValues& v = default_values()) {
  auto r = build_argv(tmpl, v);
  EXPECT_TRUE(r.ok()) << r.error().message;
  return r.ok() ? *r : Argv{};
}

std::string build_error(const Argv& tmpl, const TargetValues& v = default_values()) {
  auto r = build_argv(tmpl, v);
  return r.ok() ? std::string("(built)") : r.error().message;
}

// Hosts as they could arrive in a proxy log line; none may become (part of) an argv element.
std::vector<std::string> hostile_hosts() {
  return {"a;rm -rf /",
          "$(id)",
          "`id`",
          "-oProxyCommand=x",
          "--help",
          "-rds01",
          "'rds01'",
          "\"rds01\"",
          "rds01 -Fix target-tls",
          "rds01\n-Fix",
          "rds01\r\n",
          "rds01.corp.example\n",
          "rds01\t",
          "rds01.corp.example;id",
          "rds01&calc",
          "rds01|id",
          "rds01>x",
          "%COMPUTERNAME%",
          "{host}",
          "caf\xc3\xa9.example",
          "\xd1\x80\xd0\xb4\xd1\x81.example",
          "rds01\xe2\x80\x8b.example",
          std::string("rds01\0evil", 10),
          std::string(300, 'a'),
          std::string(150, 'a') + "." + std::string(149, 'b'),
          "",
          ".",
          "..",
          "*",
          "fe80::1%eth0",
          "C:\\Windows\\System32",
          "\\\\server\\share",
          "http://rds01/"};
}

TEST(TargetCommand, WholeElementPlaceholders) {
  EXPECT_EQ(built({"pwsh", "-NoProfile", "-File", "scripts/Set-RdpSecurity.ps1", "-ComputerName", "{host}", "-Fix",
                   "{fix}", "{port}"}),
            (Argv{"pwsh", "-NoProfile", "-File", "scripts/Set-RdpSecurity.ps1", "-ComputerName", "rds01.corp.example",
                  "-Fix", "target-secure", "3389"}));
}

TEST(TargetCommand, OptionValuePlaceholders) {
  EXPECT_EQ(built({"tool", "-ComputerName={host}", "--port={port}", "-Fix={fix}", "--host_name={host}", "-x-y={fix}"}),
            (Argv{"tool", "-ComputerName=rds01.corp.example", "--port=3389", "-Fix=target-secure",
                  "--host_name=rds01.corp.example", "-x-y=target-secure"}));
}

TEST(TargetCommand, RepeatedPlaceholdersAndIpHosts) {
  EXPECT_EQ(built({"tool", "{host}", "--h={host}", "{host}"}, {.host = "fd00::1", .port = 1, .fix = "target-nla"}),
            (Argv{"tool", "fd00::1", "--h=fd00::1", "fd00::1"}));
  EXPECT_EQ(built({"tool", "{host}", "{port}"}, {.host = "10.0.0.5", .port = 65535, .fix = "target-tls"}),
            (Argv{"tool", "10.0.0.5", "65535"}));
}

TEST(TargetCommand, ElementsWithoutPlaceholdersPassThroughUnchanged) {
  const Argv tmpl{"C:/Program Files/PowerShell/7/pwsh.exe",
                  "-Command",
                  "& { param($h) Get-Item $h }",
                  "@{a=1}",
                  "{ host }",
                  "{}",
                  "{",
                  "}",
                  "a b;c $(id) `x` 'q' \"d\"",
                  "-Name=value",
                  "{host"};
  EXPECT_EQ(built(tmpl), tmpl);
}

TEST(TargetCommand, PlaceholdersInsideLargerTextAreErrors) {
  const std::vector<std::pair<Argv, std::string>> cases = {
      {{"pwsh", "-c", "Set-X {host}"}, "argv[2]"},
      {{"pwsh", "{host}.ps1"}, "argv[1]"},
      {{"pwsh", "x{host}"}, "argv[1]"},
      {{"pwsh", "{host}x"}, "argv[1]"},
      {{"pwsh", "-Name=x{host}"}, "argv[1]"},
      {{"pwsh", "-Name={host}x"}, "argv[1]"},
      {{"pwsh", "-Name={host}={port}"}, "argv[1]"},
      {{"pwsh", "/Name:{host}"}, "argv[1]"},
      {{"pwsh", "/Name={host}"}, "argv[1]"},
      {{"pwsh", "Name={host}"}, "argv[1]"},
      {{"pwsh", "-={host}"}, "argv[1]"},
      {{"pwsh", "--={host}"}, "argv[1]"},
      {{"pwsh", "---x={host}"}, "argv[1]"},
      {{"pwsh", "-1x={host}"}, "argv[1]"},
      {{"pwsh", "-a b={host}"}, "argv[1]"},
      {{"pwsh", "-a.b={host}"}, "argv[1]"},
      {{"pwsh", "{host}{port}"}, "argv[1]"},
      {{"pwsh", "{host}:{port}"}, "argv[1]"},
      {{"pwsh", "ok", "\"{host}\""}, "argv[2]"},
  };
  for (const auto& [tmpl, where] : cases) {
    const auto e = build_error(tmpl);
    EXPECT_EQ(e.rfind(where + " '", 0), 0U) << tmpl.back() << " -> " << e;
    EXPECT_NE(e.find("whole argument"), std::string::npos) << tmpl.back() << " -> " << e;
    EXPECT_FALSE(validate_argv_template(tmpl).ok()) << tmpl.back();
  }
}

TEST(TargetCommand, UnknownPlaceholdersAreErrors) {
  for (const std::string arg : {"{HOST}", "{Host}", "{target}", "{hostname}", "-Name={user}", "x {password} y"}) {
    const auto e = build_error({"tool", arg});
    EXPECT_NE(e.find("unknown placeholder"), std::string::npos) << arg << " -> " << e;
  }
}

TEST(TargetCommand, TheProgramIsNeverAPlaceholder) {
  EXPECT_NE(build_error({"{host}"}).find("program"), std::string::npos);
  EXPECT_NE(build_error({"/usr/bin/{fix}", "x"}).find("program"), std::string::npos);
  EXPECT_NE(build_error({}).find("program is missing"), std::string::npos);
  EXPECT_NE(build_error({"", "{host}"}).find("program is missing"), std::string::npos);
}

TEST(TargetCommand, NulInATemplateElementIsAnError) {
  const auto e = build_error({"tool", std::string("a\0b", 3)});
  EXPECT_NE(e.find("NUL"), std::string::npos) << e;
}

TEST(TargetCommand, ValidateTemplateAcceptsTheDocumentedDefault) {
  EXPECT_TRUE(validate_argv_template({"pwsh", "-NoProfile", "-File", "scripts/Set-RdpSecurity.ps1", "-ComputerName",
                                      "{host}", "-Fix", "{fix}"})
                  .ok());
  EXPECT_TRUE(validate_argv_template({"tool"}).ok());
}

TEST(TargetCommand, OnlyTargetFixesAreAccepted) {
  for (const std::string fix : {"target-tls", "target-nla", "target-secure"}) {
    EXPECT_EQ(built({"t", "{fix}"}, {.host = "h", .port = 3389, .fix = fix}), (Argv{"t", fix}));
  }
  for (const std::string fix :
       {"", "proxy-rdp-security", "TARGET-TLS", "target-tls;id", "-target-tls", "target-tls ", "target-secure\n"}) {
    const auto e = build_error({"t", "{fix}"}, {.host = "h", .port = 3389, .fix = fix});
    EXPECT_NE(e.find("refused: fix"), std::string::npos) << fix << " -> " << e;
  }
}

TEST(TargetCommand, PortZeroIsRefused) {
  EXPECT_NE(build_error({"t", "{port}"}, {.host = "h", .port = 0, .fix = "target-tls"}).find("port 0"),
            std::string::npos);
}

TEST(TargetCommand, HostileHostsAreRefusedBeforeAnyArgvExists) {
  for (const auto& host : hostile_hosts()) {
    // Every stage refuses on its own: the log-side normalization, the policy (even allow "*"),
    // and build_argv, which re-validates in case a caller skipped the first two.
    EXPECT_FALSE(normalize_host(host).ok()) << host;
    auto policy = TargetPolicy::compile({"*"}, {});
    ASSERT_TRUE(policy.ok());
    EXPECT_FALSE(policy->decide(host).allowed) << host;
    auto r = build_argv({"tool", "{host}"}, {.host = host, .port = 3389, .fix = "target-tls"});
    ASSERT_FALSE(r.ok()) << host;
    EXPECT_EQ(r.error().message.rfind("refused: ", 0), 0U) << r.error().message;
    EXPECT_EQ(r.error().message.find('\n'), std::string::npos) << r.error().message;
  }
}

TEST(TargetCommand, HostsNotInNormalizedFormAreRefused) {
  // Each is a fine host, but not the string the allow/deny decision was made on.
  for (const std::string host :
       {"RDS01.corp.example", "rds01.corp.example.", "[fd00::1]", "FD00::1", "fd00:0:0:0:0:0:0:1", "::ffff:10.0.0.5"}) {
    ASSERT_TRUE(normalize_host(host).ok()) << host;
    const auto e = build_error({"t", "{host}"}, {.host = host, .port = 3389, .fix = "target-tls"});
    EXPECT_NE(e.find("not in normalized form"), std::string::npos) << host << " -> " << e;
  }
}

// ---- The injection test: a real process receives the argv. ----

struct Recorder {
  TempDir dir;
  std::filesystem::path record = dir / "argv.jsonl";

  // What the remediation stage does with a host taken from a log line: normalize, ask the
  // policy, build the argv, start the process. Returns the argv the process recorded, or nothing
  // when the host was stopped (then no process may have run).
  std::optional<Argv> run(const std::string& raw_host, const TargetPolicy& policy, const Argv& tmpl) {
    auto host = normalize_host(raw_host);
    if (!host) return std::nullopt;
    if (!policy.decide(*host).allowed) return std::nullopt;
    auto argv = build_argv(tmpl, {.host = *host, .port = 3389, .fix = "target-secure"});
    if (!argv) return std::nullopt;
    std::error_code ec;
    std::filesystem::remove(record, ec);
    auto rc = negoheal::testing::spawn_argv_and_wait(*argv, {"NEGOHEAL_ARGV_RECORD=" + record.string()});
    EXPECT_TRUE(rc.ok()) << rc.error().message;
    if (!rc.ok()) return std::nullopt;
    EXPECT_EQ(*rc, 0);
    const auto text = read_file(record);
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1) << text;
    return nlohmann::json::parse(text).get<Argv>();
  }
};

Argv recorder_template() {
  return {NEGOHEAL_ARGV_RECORDER,
          "-NoProfile",
          "-ComputerName",
          "{host}",
          "-Fix",
          "{fix}",
          "--port={port}",
          "-Host={host}",
          "a b;c $(id) `x` 'q' \"d\" > /tmp/x",
          ""};
}

TEST(TargetCommandProcess, EachValueArrivesAsOneLiteralElement) {
  if (!negoheal::testing::can_spawn_argv()) GTEST_SKIP() << "POSIX only: posix_spawn keeps argv elements apart";
  auto policy = TargetPolicy::compile({"*.corp.example", "*.example", "10.0.0.0/8", "fd00::/8"}, {});
  ASSERT_TRUE(policy.ok());
  Recorder rec;
  for (const std::string raw : {"rds01.corp.example", "RDS02.Corp.Example.", "10.0.0.5", "[FD00::0001]",
                                "::ffff:10.1.2.3", "xn--bcher-kva.example"}) {
    const std::string host = *normalize_host(raw);
    const auto got = rec.run(raw, *policy, recorder_template());
    ASSERT_TRUE(got) << raw;
    const Argv expected{NEGOHEAL_ARGV_RECORDER,
                        "-NoProfile",
                        "-ComputerName",
                        host,
                        "-Fix",
                        "target-secure",
                        "--port=3389",
                        "-Host=" + host,
                        "a b;c $(id) `x` 'q' \"d\" > /tmp/x",
                        ""};
    EXPECT_EQ(*got, expected) << raw;
  }
}

TEST(TargetCommandProcess, HostileHostsNeverReachAProcess) {
  if (!negoheal::testing::can_spawn_argv()) GTEST_SKIP() << "POSIX only: posix_spawn keeps argv elements apart";
  auto policy = TargetPolicy::compile({"*"}, {});
  ASSERT_TRUE(policy.ok());
  Recorder rec;
  // The recorder itself works (so "no record" below means "not started", not "broken").
  ASSERT_TRUE(rec.run("rds01.corp.example", *policy, recorder_template()));
  std::filesystem::remove(rec.record);
  for (const auto& host : hostile_hosts()) {
    EXPECT_FALSE(rec.run(host, *policy, recorder_template())) << host;
    EXPECT_FALSE(std::filesystem::exists(rec.record)) << host;
  }
}

TEST(TargetCommandProcess, DeniedAndUnlistedHostsNeverReachAProcess) {
  if (!negoheal::testing::can_spawn_argv()) GTEST_SKIP() << "POSIX only: posix_spawn keeps argv elements apart";
  auto policy = TargetPolicy::compile({"*.corp.example"}, {"dc*.corp.example"});
  ASSERT_TRUE(policy.ok());
  Recorder rec;
  for (const std::string host : {"dc01.corp.example", "rds01.other.example", "10.0.0.5"}) {
    EXPECT_FALSE(rec.run(host, *policy, recorder_template())) << host;
    EXPECT_FALSE(std::filesystem::exists(rec.record)) << host;
  }
}

// ---- Static properties of the PowerShell the default target command runs. ----

class SetRdpSecurityScript : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto path = negoheal::testing::source_dir() / "config" / "scripts" / "Set-RdpSecurity.ps1";
    ASSERT_TRUE(std::filesystem::exists(path)) << path;
    text_ = read_file(path);
    lower_ = text_;
    std::transform(lower_.begin(), lower_.end(), lower_.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  }

  [[nodiscard]] bool has(std::string_view s) const { return text_.find(s) != std::string::npos; }
  // `first` occurs, and `then` follows it with nothing but whitespace in between.
  [[nodiscard]] bool followed_by(std::string_view first, std::string_view then) const {
    const auto at = text_.find(first);
    if (at == std::string::npos) return false;
    const auto next = text_.find_first_not_of(" \t\r\n", at + first.size());
    return next != std::string::npos && text_.compare(next, then.size(), then) == 0;
  }
  // Words of the script, lower-cased: letters, digits, '-', '_'.
  [[nodiscard]] std::set<std::string> words() const {
    std::set<std::string> out;
    std::string w;
    for (char c : lower_ + " ") {
      if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') {
        w += c;
      } else if (!w.empty()) {
        out.insert(w);
        w.clear();
      }
    }
    return out;
  }

  std::string text_, lower_;
};

TEST_F(SetRdpSecurityScript, DeclaresItsParameters) {
  EXPECT_TRUE(followed_by("[Parameter(Mandatory = $true)]", "[ValidateLength(1, 253)]"));
  EXPECT_TRUE(has("[string] $ComputerName"));
  EXPECT_TRUE(followed_by("[ValidateSet('target-tls', 'target-nla', 'target-secure')]", "[string] $Fix"));
  EXPECT_TRUE(followed_by("[ValidateSet('Read', 'Apply')]", "[string] $Mode = 'Apply'"));
  EXPECT_TRUE(has("[System.Management.Automation.PSCredential] $Credential"));
}

TEST_F(SetRdpSecurityScript, PassesValuesAsArgumentsNeverAsScriptText) {
  EXPECT_TRUE(has("Invoke-Command -ComputerName $ComputerName -ScriptBlock $remote -ArgumentList $Fix, $apply"));
  EXPECT_TRUE(has("param([string] $Fix, [bool] $Apply)"));
  for (const char* banned : {"[scriptblock]::create", "invoke-expression", "newscriptblock", "$using:", "cmd /c",
                             "cmd.exe", "start-process", "addscript"}) {
    EXPECT_EQ(lower_.find(banned), std::string::npos) << banned;
  }
  EXPECT_EQ(words().count("iex"), 0U);
  // The block that runs on the target sees no local variable holding a host or a credential.
  const auto begin = text_.find("$remote = {");
  const auto end = text_.find("\n}\n", begin);
  ASSERT_NE(begin, std::string::npos);
  ASSERT_NE(end, std::string::npos);
  const auto remote = text_.substr(begin, end - begin);
  EXPECT_EQ(remote.find("$ComputerName"), std::string::npos);
  EXPECT_EQ(remote.find("$Credential"), std::string::npos);
}

TEST_F(SetRdpSecurityScript, ReadsTheValuesAndThePolicyOverrides) {
  EXPECT_TRUE(has("'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp'"));
  EXPECT_TRUE(has("'HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services'"));
  EXPECT_TRUE(has("@('SecurityLayer', 'UserAuthentication', 'MinEncryptionLevel')"));
  EXPECT_TRUE(has("$wanted['SecurityLayer'] = 2"));
  EXPECT_TRUE(has("$wanted['UserAuthentication'] = 1"));
}

TEST_F(SetRdpSecurityScript, PrintsOneJsonObjectAndDocumentsItsExitCodes) {
  EXPECT_TRUE(has("ConvertTo-Json -Compress"));
  EXPECT_EQ(words().count("write-host"), 0U);  // stdout carries the JSON object only
  for (const char* mapping :
       {"'policy-enforced' { 2 }", "'min-encryption-low' { 3 }", "$exitCode = 4", "exit $exitCode"}) {
    EXPECT_TRUE(has(mapping)) << mapping;
  }
  for (const char* doc : {"WinRM", "local administrator rights", "PowerShell 5.1", "pwsh", "EXIT CODES"}) {
    EXPECT_TRUE(has(doc)) << doc;
  }
}

}  // namespace
}  // namespace negoheal::actions
