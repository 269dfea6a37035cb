// Arbitrary bytes through the text proxy-log parser (FreeRDP + NPS lines), fed in two pieces so
// the per-thread context crosses a feed boundary.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "parsers/proxy_log.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto patterns =
      negoheal::parsers::LinePatterns::compile({R"(^(?P<ts>\S+ \S+) .*target=(?P<host>\S+))"}, {}).value();
  const std::string_view all(reinterpret_cast<const char*>(data), size);
  negoheal::parsers::ProxyLogParser parser({.patterns = patterns}, "fuzz.log");
  negoheal::parsers::TimeAnchor anchor{negoheal::TimePoint(std::chrono::seconds(1'800'000'000)), {}};
  std::size_t split = all.find('\n', all.size() / 2);
  split = split == std::string_view::npos ? all.size() : split + 1;
  std::size_t events = 0;
  auto sink = [&](negoheal::Event&& e) {
    events += e.original.size() > 0 ? 1 : 0;
    (void)negoheal::to_json_line(e);
  };
  parser.feed(all.substr(0, split), 0, anchor, sink);
  parser.feed(all.substr(split), split, anchor, sink);
  return 0;
}
