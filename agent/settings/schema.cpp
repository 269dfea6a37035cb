#include "agent/settings/schema.h"

#include <nlohmann/json.hpp>
#include <set>

#include "core/duration.h"
#include "core/host.h"

namespace negoheal::settings {
namespace {

using json = nlohmann::json;

std::vector<KeySpec> file_source_keys() {
  return {
      {"type", KeyType::string, "source type", {"file"}, {}, {}, true},
      {"paths", KeyType::string_list, "files or globs (*, ?) to read, e.g. PAM-Proxy*.log", {}, {}, {}, true},
      {"format",
       KeyType::string,
       "line format",
       {"auto", "text", "freerdp", "nps", "jsonl", "winevent-xml", "evtx", "syslog"}},
      {"line_formats", KeyType::string_list,
       "RE2 patterns for the proxy's own line format, named groups ts, host, port, user, session"},
      {"context_patterns", KeyType::string_list,
       "RE2 patterns of lines that name the target of later failures of the same thread (group host)"},
      {"local_time_offset", KeyType::string,
       "UTC offset of times printed without a zone, e.g. +01:00; default: the agent's local zone"},
      {"poll_interval",
       KeyType::duration,
       "run: how often files are checked without a change notification (default 1s; the only check on Windows)",
       {},
       {},
       {},
       false,
       10},
      {"rotate_wait", KeyType::duration,
       "run: how long a rotated-away file is still read before it is let go (default 5s)"},
      {"max_line_bytes",
       KeyType::integer,
       "lines longer than this are cut and counted (default 65536)",
       {},
       {},
       {},
       false,
       256,
       16 << 20},
  };
}

const std::vector<KeySpec>& build() {
  static const std::vector<KeySpec> root = {
      {"sources",
       KeyType::object_list,
       "where failures are read from",
       {},
       {},
       {
           {"file", KeyType::object, "proxy log files", {}, file_source_keys()},
           {"syslog",
            KeyType::object,
            "syslog listener",
            {},
            {
                {"type", KeyType::string, "source type", {"syslog"}, {}, {}, true},
                {"listen", KeyType::listen, "udp://, tcp:// or tls:// address to listen on", {}, {}, {}, true},
                {"format", KeyType::string, "message format", {"auto", "rfc5424", "rfc3164"}},
            }},
           {"evtx",
            KeyType::object,
            "exported .evtx files",
            {},
            {
                {"type", KeyType::string, "source type", {"evtx"}, {}, {}, true},
                {"paths", KeyType::string_list, "files or globs", {}, {}, {}, true},
            }},
           {"winevent",
            KeyType::object,
            "Windows event channels (Windows build)",
            {},
            {
                {"type", KeyType::string, "source type", {"winevent"}, {}, {}, true},
                {"channels", KeyType::string_list, "channel names, e.g. Application", {}, {}, {}, true},
                {"query", KeyType::string, "XPath filter"},
            }},
       }},
      {"store",
       KeyType::object,
       "incident store",
       {},
       {
           {"path", KeyType::string, "SQLite file (relative to the config file's folder)"},
       }},
      {"correlation",
       KeyType::object,
       "turning failures into incidents",
       {},
       {
           {"window", KeyType::duration, "failures are counted over this window"},
           {"threshold",
            KeyType::integer,
            "failed attempts within the window that open an incident",
            {},
            {},
            {},
            false,
            1,
            1000000},
           {"cooldown", KeyType::duration, "after an incident closes, failures within this time reopen it"},
           {"dedupe", KeyType::duration,
            "lines of one failed attempt (same target, source and thread) within this time count once"},
       }},
      {"probe",
       KeyType::object,
       "RDP negotiation probe",
       {},
       {
           {"enabled", KeyType::boolean, "diagnose new incidents with a probe"},
           {"port", KeyType::integer, "port when the failure names none", {}, {}, {}, false, 1, 65535},
           {"timeout", KeyType::duration, "connect + read deadline per request"},
           {"min_interval", KeyType::duration, "at most one probe per target per interval"},
           {"max_concurrent", KeyType::integer, "probes running at once, all targets", {}, {}, {}, false, 1, 64},
           {"max_per_hour",
            KeyType::integer,
            "probes started per hour, all targets; more wait in a queue",
            {},
            {},
            {},
            false,
            1,
            100000},
       }},
      {"remediation",
       KeyType::object,
       "healing",
       {},
       {
           {"mode", KeyType::string, "off, dry-run (default) or enforce", {"off", "dry-run", "enforce"}},
           {"fix",
            KeyType::string,
            "fix applied to rdp-only targets",
            {"target-tls", "target-nla", "target-secure", "proxy-rdp-security"}},
           {"allow", KeyType::string_list, "targets that may be touched: globs or CIDRs"},
           {"deny", KeyType::string_list, "targets never touched: globs or CIDRs"},
           {"max_attempts", KeyType::integer, "fixes per target before escalation", {}, {}, {}, false, 1, 100},
           {"max_per_hour", KeyType::integer, "fixes per hour, all targets", {}, {}, {}, false, 1, 100000},
           {"max_concurrent", KeyType::integer, "fixes running at once", {}, {}, {}, false, 1, 1000},
           {"cooldown", KeyType::duration, "time between fixes of one target"},
           {"target_command",
            KeyType::object,
            "command that applies a target fix",
            {},
            {
                {"argv",
                 KeyType::argv,
                 "program and arguments; {host} {port} {fix} as whole elements",
                 {},
                 {},
                 {},
                 true},
                {"timeout", KeyType::duration, "deadline; the process tree is killed after it"},
                {"env", KeyType::string_list, "environment variables passed through"},
            }},
           {"proxy",
            KeyType::object,
            "proxy-side fix (sbpam_rdp.json)",
            {},
            {
                {"config_path", KeyType::string, "path of sbpam_rdp.json"},
                {"create_argv", KeyType::argv, "command that creates the default file when it is missing"},
                {"restart_argv", KeyType::string_list, "command that restarts the proxy; empty: never restart"},
            }},
       }},
      {"alerts",
       KeyType::object_list,
       "SIEM sinks",
       {},
       {},
       {
           {"syslog",
            KeyType::object,
            "syslog sink",
            {},
            {
                {"type", KeyType::string, "sink type", {"syslog"}, {}, {}, true},
                {"url", KeyType::listen, "udp://, tcp:// or tls:// host:port", {}, {}, {}, true},
                {"format", KeyType::string, "payload format", {"rfc5424", "cef", "leef"}},
                {"ca_file", KeyType::string, "CA bundle for tls://"},
                {"cert_file", KeyType::string, "client certificate for tls://"},
                {"key_file", KeyType::string, "client key for tls://"},
            }},
           {"webhook",
            KeyType::object,
            "HTTP(S) sink",
            {},
            {
                {"type", KeyType::string, "sink type", {"webhook"}, {}, {}, true},
                {"url", KeyType::string, "https:// URL", {}, {}, {}, true},
                {"format", KeyType::string, "payload format", {"json", "splunk-hec"}},
                {"token_env", KeyType::string, "environment variable holding the token"},
                {"token_file", KeyType::string, "file holding the token"},
                {"ca_file", KeyType::string, "CA bundle"},
            }},
       }},
      {"http",
       KeyType::object,
       "metrics and health endpoint",
       {},
       {
           {"listen",
            KeyType::listen,
            "loopback address, e.g. 127.0.0.1:9464 (port 0: any free port, logged); empty string disables",
            {},
            {},
            {},
            false,
            0,
            INT64_MAX,
            true},
       }},
      {"log",
       KeyType::object,
       "the agent's own log",
       {},
       {
           {"level", KeyType::string, "minimum level", {"trace", "debug", "info", "warn", "error"}},
           {"format", KeyType::string, "text or json", {"text", "json"}},
       }},
  };
  return root;
}

std::string join_names(const std::vector<KeySpec>& keys) {
  std::string out;
  for (const auto& k : keys) {
    if (!out.empty()) out += ", ";
    out += k.name;
  }
  return out;
}

std::string join(const std::vector<std::string_view>& items) {
  std::string out;
  for (const auto& s : items) {
    if (!out.empty()) out += ", ";
    out += s;
  }
  return out;
}

std::string escape_pointer(std::string_view token) {
  std::string out;
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

const char* type_name(const json& v) {
  return v.type_name();
}

class Validator {
 public:
  std::vector<ConfigError> errors;

  void object(const json& v, const std::vector<KeySpec>& keys, const std::string& ptr) {
    if (!v.is_object()) {
      fail(ptr, std::string("expected an object, found ") + type_name(v));
      return;
    }
    for (const auto& [name, value] : v.items()) {
      const KeySpec* spec = nullptr;
      for (const auto& k : keys) {
        if (k.name == name) spec = &k;
      }
      if (!spec) {
        fail(ptr + "/" + escape_pointer(name), "unknown key (valid keys: " + join_names(keys) + ")");
        continue;
      }
      value_of(value, *spec, ptr + "/" + escape_pointer(name));
    }
    for (const auto& k : keys) {
      if (k.required && !v.contains(std::string(k.name)))
        fail(ptr + "/" + std::string(k.name), "required key is missing");
    }
  }

  void value_of(const json& v, const KeySpec& spec, const std::string& ptr) {
    switch (spec.type) {
      case KeyType::string:
        if (!v.is_string()) return fail(ptr, std::string("expected a string, found ") + type_name(v));
        choice(v.get<std::string>(), spec, ptr);
        return;
      case KeyType::integer: {
        if (!v.is_number_integer()) return fail(ptr, std::string("expected an integer, found ") + type_name(v));
        const auto n = v.get<std::int64_t>();
        if (n < spec.min || n > spec.max) {
          fail(ptr, "out of range: " + std::to_string(n) + " (expected " + std::to_string(spec.min) + ".." +
                        std::to_string(spec.max) + ")");
        }
        return;
      }
      case KeyType::boolean:
        if (!v.is_boolean()) fail(ptr, std::string("expected true or false, found ") + type_name(v));
        return;
      case KeyType::duration: {
        if (!v.is_string())
          return fail(ptr, std::string("expected a duration string such as \"10m\", found ") + type_name(v));
        auto d = parse_duration(v.get<std::string>());
        if (!d) return fail(ptr, d.error().message);
        // `min` of a duration is in milliseconds: a zero poll interval would spin.
        if (spec.min > 0 && *d < std::chrono::milliseconds(spec.min))
          fail(ptr, "too short: at least " + std::to_string(spec.min) + "ms");
        return;
      }
      case KeyType::string_list:
        if (!v.is_array()) return fail(ptr, std::string("expected an array of strings, found ") + type_name(v));
        for (std::size_t i = 0; i < v.size(); ++i) {
          const auto p = ptr + "/" + std::to_string(i);
          if (!v[i].is_string()) {
            fail(p, std::string("expected a string, found ") + type_name(v[i]));
          } else {
            choice(v[i].get<std::string>(), spec, p);
          }
        }
        return;
      case KeyType::argv:
        if (!v.is_array() || v.empty())
          return fail(ptr, "expected a non-empty array of strings (program and arguments)");
        for (std::size_t i = 0; i < v.size(); ++i) {
          const auto p = ptr + "/" + std::to_string(i);
          if (!v[i].is_string()) {
            fail(p, std::string("expected a string, found ") + type_name(v[i]));
            continue;
          }
          placeholders(v[i].get<std::string>(), p, i == 0);
        }
        return;
      case KeyType::listen: {
        if (!v.is_string()) return fail(ptr, std::string("expected an address string, found ") + type_name(v));
        std::string s = v.get<std::string>();
        if (s.empty()) return;  // disabled
        const auto scheme = s.find("://");
        if (scheme != std::string::npos) {
          const auto sch = s.substr(0, scheme);
          if (sch != "udp" && sch != "tcp" && sch != "tls") {
            return fail(ptr, "unknown scheme '" + sch + "' (expected udp, tcp or tls)");
          }
          s = s.substr(scheme + 3);
        }
        if (spec.any_port && s.size() > 2 && s.ends_with(":0")) s.back() = '1';
        auto hp = parse_host_port(s);
        if (!hp) return fail(ptr, hp.error().message);
        if (!hp->port) fail(ptr, "missing port in '" + s + "'");
        return;
      }
      case KeyType::object:
        object(v, spec.keys, ptr);
        return;
      case KeyType::object_list:
        if (!v.is_array()) return fail(ptr, std::string("expected an array of objects, found ") + type_name(v));
        for (std::size_t i = 0; i < v.size(); ++i) {
          const auto p = ptr + "/" + std::to_string(i);
          if (!v[i].is_object()) {
            fail(p, std::string("expected an object, found ") + type_name(v[i]));
            continue;
          }
          std::vector<std::string_view> types;
          for (const auto& var : spec.variants)
            types.push_back(var.name);
          if (!v[i].contains("type") || !v[i]["type"].is_string()) {
            fail(p + "/type", "required key is missing (valid types: " + join(types) + ")");
            continue;
          }
          const auto t = v[i]["type"].get<std::string>();
          const KeySpec* var = nullptr;
          for (const auto& candidate : spec.variants) {
            if (candidate.name == t) var = &candidate;
          }
          if (!var) {
            fail(p + "/type", "unknown type '" + t + "' (valid types: " + join(types) + ")");
            continue;
          }
          object(v[i], var->keys, p);
        }
        return;
    }
  }

 private:
  void fail(const std::string& ptr, std::string reason) { errors.push_back({ptr, std::move(reason)}); }

  void choice(const std::string& value, const KeySpec& spec, const std::string& ptr) {
    if (spec.choices.empty()) return;
    for (auto c : spec.choices) {
      if (c == value) return;
    }
    fail(ptr, "invalid value '" + value + "' (expected one of: " + join(spec.choices) + ")");
  }

  // {host} {port} {fix} may only stand as a whole element or as the whole value of -Name=value.
  void placeholders(const std::string& arg, const std::string& ptr, bool program) {
    const auto open = arg.find('{');
    if (open == std::string::npos) return;
    static const std::set<std::string> k_known = {"{host}", "{port}", "{fix}"};
    std::string value = arg;
    const auto eq = arg.find('=');
    if (eq != std::string::npos && eq < open && !arg.empty() && arg[0] == '-') value = arg.substr(eq + 1);
    if (program) return fail(ptr, "the program itself cannot be a placeholder");
    if (k_known.count(value) == 0) {
      fail(ptr,
           "placeholders ({host}, {port}, {fix}) must be a whole argument or the whole value of -Name=value, found '" +
               arg + "'");
    }
  }
};

json spec_schema(const KeySpec& spec);

json object_schema(const std::vector<KeySpec>& keys) {
  json props = json::object();
  json required = json::array();
  for (const auto& k : keys) {
    props[std::string(k.name)] = spec_schema(k);
    if (k.required) required.push_back(std::string(k.name));
  }
  json out = {{"type", "object"}, {"properties", props}, {"additionalProperties", false}};
  if (!required.empty()) out["required"] = required;
  return out;
}

json spec_schema(const KeySpec& spec) {
  json out;
  switch (spec.type) {
    case KeyType::string:
    case KeyType::listen:
      out = {{"type", "string"}};
      if (!spec.choices.empty()) out["enum"] = spec.choices;
      break;
    case KeyType::integer:
      out = {{"type", "integer"}, {"minimum", spec.min}};
      if (spec.max != INT64_MAX) out["maximum"] = spec.max;
      break;
    case KeyType::boolean:
      out = {{"type", "boolean"}};
      break;
    case KeyType::duration:
      out = {{"type", "string"}, {"pattern", "^([0-9]+(ms|s|m|h))+$"}};
      break;
    case KeyType::string_list:
      out = {{"type", "array"}, {"items", {{"type", "string"}}}};
      if (!spec.choices.empty()) out["items"]["enum"] = spec.choices;
      break;
    case KeyType::argv:
      out = {{"type", "array"}, {"items", {{"type", "string"}}}, {"minItems", 1}};
      break;
    case KeyType::object:
      out = object_schema(spec.keys);
      break;
    case KeyType::object_list: {
      json any = json::array();
      for (const auto& v : spec.variants)
        any.push_back(object_schema(v.keys));
      out = {{"type", "array"}, {"items", {{"oneOf", any}}}};
      break;
    }
  }
  out["description"] = std::string(spec.description);
  return out;
}

void help_lines(const std::vector<KeySpec>& keys, const std::string& prefix, std::string& out) {
  for (const auto& k : keys) {
    const std::string name = prefix + std::string(k.name);
    if (k.type == KeyType::object) {
      out += name + "  (object) " + std::string(k.description) + "\n";
      help_lines(k.keys, name + ".", out);
    } else if (k.type == KeyType::object_list) {
      out += name + "[]  " + std::string(k.description) + "\n";
      for (const auto& v : k.variants) {
        out += name + "[type=" + std::string(v.name) + "]  " + std::string(v.description) + "\n";
        help_lines(v.keys, name + "[].", out);
      }
    } else {
      out += name + "  " + std::string(k.description);
      if (!k.choices.empty()) out += " (" + join(k.choices) + ")";
      out += "\n";
    }
  }
}

}  // namespace

const std::vector<KeySpec>& config_schema() {
  return build();
}

std::vector<ConfigError> validate_config(const json& root) {
  Validator v;
  v.object(root, config_schema(), "");
  return v.errors;
}

json config_json_schema() {
  json s = object_schema(config_schema());
  s["$schema"] = "https://json-schema.org/draft/2020-12/schema";
  s["title"] = "negoheal configuration";
  return s;
}

std::string config_keys_help() {
  std::string out;
  help_lines(config_schema(), "", out);
  return out;
}

}  // namespace negoheal::settings
