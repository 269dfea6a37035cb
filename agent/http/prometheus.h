#pragma once
// The Prometheus text exposition format 0.0.4, built into one string per scrape. Names are the
// programmer's constants (checked by assert in debug builds); label values and HELP text may
// carry anything (host names, paths) and are escaped as the format requires.
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace negoheal::http {

using Labels = std::initializer_list<std::pair<std::string_view, std::string_view>>;

class PrometheusText {
 public:
  // Starts a metric family: "# HELP name help\n# TYPE name type\n". type: counter|gauge. Call once
  // per family, before its samples; every sample until the next family() must carry this name.
  void family(std::string_view name, std::string_view type, std::string_view help);

  // "name{l1="v1",l2="v2"} value\n". Doubles print in their shortest round-trip form, NaN, +Inf
  // and -Inf as Prometheus spells them; integers print exactly (2^53 + 1 stays 9007199254740993).
  // Other integer types are deliberately ambiguous: say std::uint64_t{n} or convert to double.
  void sample(std::string_view name, double value, Labels labels = {});
  void sample(std::string_view name, std::uint64_t value, Labels labels = {});

  [[nodiscard]] const std::string& text() const { return text_; }

 private:
  void start_sample(std::string_view name, Labels labels);

  std::string text_;
  std::string family_;  // the name the samples must carry
};

}  // namespace negoheal::http
