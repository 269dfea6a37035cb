#include "agent/cli/common.h"

#include <filesystem>
#include <ostream>

#include "core/host.h"
#include "core/incident.h"
#include "core/timestamp.h"

namespace negoheal::cli {

Result<settings::Settings> load_settings_arg(const Args& args) {
  if (auto c = args.get("--config")) return settings::load_settings(*c);
  return settings::default_settings();
}

Result<std::unique_ptr<store::Store>> open_existing_store(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return make_error("no store at " + path);
  return store::Store::open(path);
}

Result<TimeFilter> time_filter(const Args& args) {
  TimeFilter f;
  if (auto h = args.get("--host")) {
    if (*h == k_unattributed || *h == "unattributed") {
      f.host = std::string(k_unattributed);
    } else {
      auto n = normalize_host(*h);
      if (!n) return make_error("--host: " + n.error().message);
      f.host = *n;
    }
  }
  if (auto s = args.get("--since")) {
    auto t = parse_timestamp(*s);
    if (!t) return make_error("--since: " + t.error().message);
    f.since = *t;
  }
  if (auto u = args.get("--until")) {
    auto t = parse_timestamp(*u);
    if (!t) return make_error("--until: " + t.error().message);
    f.until = *t;
  }
  return f;
}

int fail(Io& io, const std::string& message, int code) {
  io.err << "negoheal: " << message << "\n";
  return code;
}

}  // namespace negoheal::cli
