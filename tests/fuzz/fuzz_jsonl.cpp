// Arbitrary bytes as JSON lines: every line is an event or a reported, skipped record; events
// survive a round trip through their JSON form.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "parsers/jsonl.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view all(reinterpret_cast<const char*>(data), size);
  negoheal::parsers::JsonLinesParser parser([](std::uint64_t, std::string_view) {}, "fuzz.jsonl");
  parser.feed(all, 0, {}, [](negoheal::Event&& e) {
    auto again = negoheal::event_from_json(negoheal::to_json_line(e));
    if (!again.ok() || !(again.value() == e)) std::abort();
  });
  return 0;
}
