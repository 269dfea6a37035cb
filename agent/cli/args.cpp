#include "agent/cli/args.h"

namespace negoheal::cli {

Result<Args> Args::parse(const CommandSpec& spec, const std::vector<std::string>& argv) {
  Args out;
  bool options_done = false;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (!options_done && a == "--") {
      options_done = true;
      continue;
    }
    if (!options_done && (a == "--help" || a == "-h")) {
      out.help_ = true;
      continue;
    }
    if (!options_done && a.size() > 1 && a[0] == '-') {
      std::string name = a;
      std::optional<std::string> inline_value;
      if (const auto eq = a.find('='); eq != std::string::npos && a.rfind("--", 0) == 0) {
        name = a.substr(0, eq);
        inline_value = a.substr(eq + 1);
      }
      const OptionSpec* opt = nullptr;
      for (const auto& o : spec.options) {
        if (o.name == name || (!o.alias.empty() && o.alias == name)) opt = &o;
      }
      if (!opt) return make_error("unknown option '" + name + "' for '" + std::string(spec.name) + "'");
      const std::string key(opt->name);
      if (opt->value.empty()) {
        if (inline_value) return make_error("option " + key + " takes no value");
        out.values_[key].push_back("");
        continue;
      }
      std::string value;
      if (inline_value) {
        value = *inline_value;
      } else {
        if (i + 1 >= argv.size())
          return make_error("option " + key + " needs a value (" + std::string(opt->value) + ")");
        value = argv[++i];
      }
      if (!opt->repeatable && out.values_.count(key)) return make_error("option " + key + " given twice");
      out.values_[key].push_back(std::move(value));
      continue;
    }
    out.positional_.push_back(a);
  }
  if (out.help_) return out;
  if (out.positional_.size() < spec.min_positional) {
    return make_error("'" + std::string(spec.name) + "' needs " + std::string(spec.positional));
  }
  const std::size_t max = spec.positional.empty() ? 0 : spec.max_positional;
  if ((spec.positional.empty() && !out.positional_.empty()) || (max != 0 && out.positional_.size() > max)) {
    return make_error("unexpected argument '" + out.positional_.back() + "' for '" + std::string(spec.name) + "'");
  }
  return out;
}

std::optional<std::string> Args::get(std::string_view name) const {
  auto it = values_.find(std::string(name));
  if (it == values_.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> Args::all(std::string_view name) const {
  auto it = values_.find(std::string(name));
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

std::string usage(const CommandSpec& spec) {
  std::string out = "usage: negoheal " + std::string(spec.synopsis) + "\n\n" + std::string(spec.description) + "\n";
  if (!spec.options.empty()) out += "\noptions:\n";
  for (const auto& o : spec.options) {
    std::string left = "  " + std::string(o.name);
    if (!o.alias.empty()) left = "  " + std::string(o.alias) + ", " + std::string(o.name);
    if (!o.value.empty()) left += " " + std::string(o.value);
    if (left.size() < 28) left.resize(28, ' ');
    out += left + " " + std::string(o.help) + "\n";
  }
  out += "  -h, --help                 this help\n";
  return out;
}

}  // namespace negoheal::cli
