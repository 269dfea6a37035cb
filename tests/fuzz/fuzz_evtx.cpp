// Arbitrary bytes as an EVTX file (and as a lone chunk), normal and recover mode: no crash, no
// unbounded recursion or allocation, and every record delivered renders a non-empty <Event>.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "parsers/evtx/to_event.h"

namespace {

void check(const negoheal::parsers::evtx::EvtxRecord& r) {
  if (r.xml.empty() || r.xml.front() != '<') std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace evtx = negoheal::parsers::evtx;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const auto ignore = [](std::uint64_t, std::string_view) {};
  for (const bool recover : {false, true}) {
    evtx::EvtxOptions options;
    options.recover = recover;
    (void)evtx::EvtxReader(bytes, options).read([](evtx::EvtxRecord&& r) { check(r); }, ignore);
    evtx::EvtxStats stats;
    evtx::read_chunk(
        {bytes, 0, 0, true, recover}, options, [](evtx::EvtxRecord&& r) { check(r); }, ignore, stats);
  }
  (void)evtx::read_evtx(
      bytes, {}, [](negoheal::Event&& e) { (void)negoheal::to_json_line(e); }, ignore);
  return 0;
}
