#include "agent/http/prometheus.h"

#include <array>
#include <cassert>
#include <charconv>
#include <cmath>
#include <system_error>

namespace negoheal::http {
namespace {

[[maybe_unused]] bool is_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
[[maybe_unused]] bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// [a-zA-Z_:][a-zA-Z0-9_:]*
[[maybe_unused]] bool valid_metric_name(std::string_view name) {
  if (name.empty() || is_digit(name.front())) return false;
  for (const char c : name) {
    if (!is_letter(c) && !is_digit(c) && c != ':') return false;
  }
  return true;
}

// [a-zA-Z_][a-zA-Z0-9_]*, and names starting with "__" are reserved for Prometheus itself.
[[maybe_unused]] bool valid_label_name(std::string_view name) {
  if (name.empty() || is_digit(name.front()) || name.starts_with("__")) return false;
  for (const char c : name) {
    if (!is_letter(c) && !is_digit(c)) return false;
  }
  return true;
}

// A second "# TYPE name" for the same family makes Prometheus reject the whole scrape.
[[maybe_unused]] bool family_seen(const std::string& text, std::string_view name) {
  const std::string line = "# TYPE " + std::string(name) + " ";
  return text.starts_with(line) || text.find("\n" + line) != std::string::npos;
}

// HELP escapes backslash and newline; label values also escape the double quote.
void append_escaped(std::string& out, std::string_view text, bool quote) {
  for (const char c : text) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '"':
        out += quote ? "\\\"" : "\"";
        break;
      default:
        out += c;
    }
  }
}

}  // namespace

void PrometheusText::family(std::string_view name, std::string_view type, std::string_view help) {
  assert(valid_metric_name(name));
  assert(type == "counter" || type == "gauge");
  assert(!family_seen(text_, name));
  text_ += "# HELP ";
  text_ += name;
  text_ += ' ';
  append_escaped(text_, help, false);
  text_ += "\n# TYPE ";
  text_ += name;
  text_ += ' ';
  text_ += type;
  text_ += '\n';
  family_ = name;
}

void PrometheusText::sample(std::string_view name, double value, Labels labels) {
  start_sample(name, labels);
  if (std::isnan(value)) {
    text_ += "NaN";
  } else if (std::isinf(value)) {
    text_ += value > 0 ? "+Inf" : "-Inf";
  } else {
    // Shortest form that reads back as the same double (at most 24 characters).
    std::array<char, 32> buf{};
    const auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), value);
    assert(ec == std::errc());
    text_.append(buf.data(), end);
  }
  text_ += '\n';
}

void PrometheusText::sample(std::string_view name, std::uint64_t value, Labels labels) {
  start_sample(name, labels);
  std::array<char, 24> buf{};
  const auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), value);
  assert(ec == std::errc());
  text_.append(buf.data(), end);
  text_ += '\n';
}

void PrometheusText::start_sample(std::string_view name, Labels labels) {
  assert(!family_.empty() && name == family_);
  text_ += name;
  if (labels.size() != 0) {
    char separator = '{';
    for (const auto& [label, value] : labels) {
      assert(valid_label_name(label));
      text_ += separator;
      text_ += label;
      text_ += "=\"";
      append_escaped(text_, value, true);
      text_ += '"';
      separator = ',';
    }
    text_ += '}';
  }
  text_ += ' ';
}

}  // namespace negoheal::http
