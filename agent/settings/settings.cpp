#include "agent/settings/settings.h"

#include <fstream>
#include <sstream>

#include "agent/settings/schema.h"
#include "core/duration.h"

namespace negoheal::embedded {
std::string_view default_config();
}

namespace negoheal::settings {
namespace {

using json = nlohmann::json;

Duration duration_at(const json& doc, const json::json_pointer& p) {
  return parse_duration(doc.at(p).get<std::string>()).value();
}

Result<Settings> build(const json& merged, const std::string& origin, const std::filesystem::path& base_dir) {
  Settings s;
  s.origin = origin;
  s.base_dir = base_dir;
  s.document = merged;
  std::string errors;
  for (std::size_t i = 0; i < merged["sources"].size(); ++i) {
    const auto& src = merged["sources"][i];
    if (src["type"] != "file") continue;
    FileSource f;
    f.paths = src["paths"].get<std::vector<std::string>>();
    f.format = parsers::parse_input_format(src.value("format", "auto")).value_or(parsers::InputFormat::automatic);
    f.line_formats = src.value("line_formats", std::vector<std::string>{});
    f.context_patterns = src.value("context_patterns", std::vector<std::string>{});
    if (src.contains("local_time_offset")) {
      auto off = parse_utc_offset(src["local_time_offset"].get<std::string>());
      if (!off) {
        errors += origin + ": /sources/" + std::to_string(i) + "/local_time_offset: " + off.error().message + "\n";
      } else {
        f.local_time_offset = *off;
      }
    }
    if (src.contains("poll_interval")) f.poll_interval = duration_at(src, json::json_pointer("/poll_interval"));
    if (src.contains("rotate_wait")) f.rotate_wait = duration_at(src, json::json_pointer("/rotate_wait"));
    f.max_line_bytes = src.value("max_line_bytes", f.max_line_bytes);
    // Patterns are compiled here once, so a bad one is a start-up error with its location.
    auto compiled = parsers::LinePatterns::compile(f.line_formats, f.context_patterns);
    if (!compiled) errors += origin + ": /sources/" + std::to_string(i) + "/" + compiled.error().message + "\n";
    s.file_sources.push_back(std::move(f));
  }
  if (!errors.empty()) {
    errors.pop_back();
    return make_error(errors);
  }
  s.store_path = merged["store"].value("path", "negoheal.db");
  const auto& c = merged["correlation"];
  s.correlation.window = duration_at(c, json::json_pointer("/window"));
  s.correlation.threshold = c.value("threshold", 1);
  s.correlation.cooldown = duration_at(c, json::json_pointer("/cooldown"));
  if (c.contains("dedupe")) s.correlation.dedupe = duration_at(c, json::json_pointer("/dedupe"));
  const auto& p = merged["probe"];
  s.probe.enabled = p.value("enabled", true);
  s.probe.port = static_cast<std::uint16_t>(p.value("port", 3389));
  s.probe.timeout = duration_at(p, json::json_pointer("/timeout"));
  s.probe.min_interval = duration_at(p, json::json_pointer("/min_interval"));
  s.probe.max_concurrent = p.value("max_concurrent", s.probe.max_concurrent);
  s.probe.max_per_hour = p.value("max_per_hour", s.probe.max_per_hour);
  s.remediation_mode = merged["remediation"].value("mode", "dry-run");
  s.http_listen = merged["http"].value("listen", "");
  if (merged.contains("log")) {
    s.log.level = merged["log"].value("level", s.log.level);
    s.log.format = merged["log"].value("format", s.log.format);
  }
  return s;
}

}  // namespace

std::filesystem::path Settings::resolve(const std::filesystem::path& p) const {
  if (p.is_absolute() || base_dir.empty()) return p;
  // Windows absolute spellings (C:\x, C:/x, \\server\share\x, \\?\C:\x) are not absolute to a POSIX
  // build; keep them as written, so a config means the same to check-config on every platform.
  const auto& n = p.native();
  const auto sep = [](auto c) { return c == '/' || c == '\\'; };
  const bool drive =
      n.size() > 2 && ((n[0] >= 'A' && n[0] <= 'Z') || (n[0] >= 'a' && n[0] <= 'z')) && n[1] == ':' && sep(n[2]);
  const bool unc_or_device = n.size() > 1 && sep(n[0]) && sep(n[1]);
  if (drive || unc_or_device) return p;
  return base_dir / p;
}

std::string_view embedded_default_config() {
  return embedded::default_config();
}

Result<std::chrono::seconds> parse_utc_offset(std::string_view t) {
  auto bad = [&] { return make_error("invalid UTC offset '" + std::string(t) + "' (expected Z, +HH:MM or -HH:MM)"); };
  if (t == "Z" || t == "z" || t == "UTC") return std::chrono::seconds(0);
  if (t.size() != 6 || (t[0] != '+' && t[0] != '-') || t[3] != ':') return bad();
  auto two = [&](std::size_t i, int& out) {
    if (t[i] < '0' || t[i] > '9' || t[i + 1] < '0' || t[i + 1] > '9') return false;
    out = (t[i] - '0') * 10 + (t[i + 1] - '0');
    return true;
  };
  int h = 0, m = 0;
  if (!two(1, h) || !two(4, m) || h > 23 || m > 59) return bad();
  const auto off = std::chrono::seconds(h * 3600 + m * 60);
  return t[0] == '-' ? -off : off;
}

Result<Settings> settings_from_text(std::string_view text, const std::string& origin,
                                    const std::filesystem::path& base_dir) {
  json user;
  try {
    user = json::parse(text.begin(), text.end(), nullptr, true, /*ignore_comments=*/false);
  } catch (const json::parse_error& e) {
    return make_error(origin + ": invalid JSON: " + e.what());
  }
  const auto errors = validate_config(user);
  if (!errors.empty()) {
    std::string msg;
    for (const auto& e : errors)
      msg += origin + ": " + (e.pointer.empty() ? "/" : e.pointer) + ": " + e.reason + "\n";
    msg.pop_back();
    return make_error(msg);
  }
  json merged = json::parse(embedded_default_config());
  merged.merge_patch(user);
  return build(merged, origin, base_dir);
}

Result<Settings> load_settings(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return make_error(file.string() + ": cannot open the configuration file");
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.erase(0, 3);
  auto base = std::filesystem::absolute(file).parent_path();
  return settings_from_text(text, file.string(), base);
}

Result<Settings> default_settings() {
  return settings_from_text(embedded_default_config(), "(embedded default)", std::filesystem::path{});
}

}  // namespace negoheal::settings
