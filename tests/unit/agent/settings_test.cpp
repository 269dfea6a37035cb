#include "agent/settings/settings.h"

#include <gtest/gtest.h>

#include "agent/settings/schema.h"
#include "tests/test_support.h"

namespace negoheal::settings {
namespace {

TEST(Settings, EmbeddedDefaultIsValid) {
  auto s = default_settings();
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->remediation_mode, "dry-run");
  EXPECT_EQ(s->correlation.window, std::chrono::minutes(10));
  ASSERT_EQ(s->file_sources.size(), 1u);
  EXPECT_EQ(s->probe.port, 3389);
}

TEST(Settings, ShippedConfigFileIsValid) {
  auto s = load_settings(testing::source_dir() / "config" / "negoheal.json");
  ASSERT_TRUE(s.ok()) << s.error().message;
}

TEST(Settings, ArchitectureExampleIsValid) {
  // The example of ARCHITECTURE §4.4 must keep validating.
  auto s = settings_from_text(R"({
    "sources": [
      {"type": "file", "paths": ["C:/ProgramData/Stealthbits/PAM/Log/PAM-Proxy*.log"], "format": "auto"},
      {"type": "syslog", "listen": "udp://127.0.0.1:5514"},
      {"type": "evtx", "paths": ["exports/*.evtx"]},
      {"type": "winevent", "channels": ["Application"]}
    ],
    "store": {"path": "negoheal.db"},
    "correlation": {"window": "10m", "threshold": 1, "cooldown": "30m"},
    "probe": {"enabled": true, "port": 3389, "timeout": "3s", "min_interval": "5m"},
    "remediation": {
      "mode": "dry-run", "fix": "target-secure",
      "allow": ["*.corp.example", "10.0.0.0/8"], "deny": [],
      "max_attempts": 2, "max_per_hour": 20, "max_concurrent": 4,
      "target_command": {"argv": ["pwsh", "-NoProfile", "-File", "config/scripts/Set-RdpSecurity.ps1",
                                  "-ComputerName", "{host}", "-Fix", "{fix}"], "timeout": "120s"},
      "proxy": {"config_path": "C:/ProgramData/Stealthbits/PAM/ProxyService/sbpam_rdp.json",
                "create_argv": ["C:/Program Files/Stealthbits/PAM/ProxyService/sbpam-proxy.exe", "cfg", "-c", "sbpam_rdp"],
                "restart_argv": ["sc.exe", "stop", "SbPAMProxy"]}
    },
    "alerts": [
      {"type": "syslog", "url": "tcp://127.0.0.1:6514", "format": "rfc5424"},
      {"type": "webhook", "url": "https://siem.example:8088/services/collector/event", "format": "splunk-hec",
       "token_env": "HEC_TOKEN"}
    ],
    "http": {"listen": "127.0.0.1:9464"}
  })",
                              "example.json", {});
  ASSERT_TRUE(s.ok()) << s.error().message;
}

TEST(Settings, EveryErrorNamesFilePointerAndReason) {
  auto s = settings_from_text(R"({
    "correlation": {"window": "ten minutes", "threshold": 0, "windw": "1m"},
    "sources": [{"type": "file", "paths": "x.log"}, {"type": "kafka"}],
    "remediation": {"mode": "yolo", "target_command": {"argv": ["pwsh", "-c", "Set-X {host}"]}},
    "bogus": 1
  })",
                              "my.json", {});
  ASSERT_FALSE(s.ok());
  const auto& m = s.error().message;
  for (const char* want :
       {"my.json: /correlation/window: invalid duration 'ten minutes'", "my.json: /correlation/threshold: out of range",
        "my.json: /correlation/windw: unknown key (valid keys: window, threshold, cooldown, dedupe)",
        "my.json: /sources/0/paths: expected an array of strings", "my.json: /sources/1/type: unknown type 'kafka'",
        "my.json: /remediation/mode: invalid value 'yolo'", "my.json: /remediation/target_command/argv/2: placeholders",
        "my.json: /bogus: unknown key"}) {
    EXPECT_NE(m.find(want), std::string::npos) << "missing: " << want << "\nin:\n" << m;
  }
}

TEST(Settings, BadPatternsAreStartUpErrors) {
  auto s = settings_from_text(R"({"sources": [{"type": "file", "paths": ["a"], "line_formats": ["(?P<host>"]}]})",
                              "p.json", {});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("p.json: /sources/0/line_formats[0]: invalid RE2 pattern"), std::string::npos);
}

TEST(Settings, InvalidJsonSaysWhere) {
  auto s = settings_from_text("{\"a\": }", "broken.json", {});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("broken.json: invalid JSON"), std::string::npos);
}

TEST(Settings, UserValuesMergeOverDefaults) {
  auto s = settings_from_text(R"({"correlation": {"threshold": 3}})", "m.json", "/etc/negoheal");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->correlation.threshold, 3);
  EXPECT_EQ(s->correlation.window, std::chrono::minutes(10));
  EXPECT_EQ(s->resolve("negoheal.db"), std::filesystem::path("/etc/negoheal/negoheal.db"));
  EXPECT_EQ(s->resolve("C:/x/y.db"), std::filesystem::path("C:/x/y.db"));
}

TEST(Settings, SchemaAndHelpComeFromTheSameTable) {
  const auto schema = config_json_schema();
  EXPECT_TRUE(schema["properties"].contains("correlation"));
  EXPECT_FALSE(schema["additionalProperties"].get<bool>());
  EXPECT_NE(config_keys_help().find("correlation.window"), std::string::npos);
}

TEST(Settings, UtcOffsets) {
  EXPECT_EQ(parse_utc_offset("+01:30").value(), std::chrono::seconds(5400));
  EXPECT_EQ(parse_utc_offset("-05:00").value(), std::chrono::seconds(-18000));
  EXPECT_FALSE(parse_utc_offset("+1").ok());
}

}  // namespace
}  // namespace negoheal::settings
