#include "parsers/evtx/to_event.h"

#include <charconv>

#include "core/timestamp.h"
#include "parsers/evtx/text.h"

namespace negoheal::parsers::evtx {
namespace {

template <class T>
std::optional<T> parse_uint(std::string_view s) {
  T v{};
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc{} || r.ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

Event to_event(const EvtxRecord& record, std::string_view file_path) {
  Event e;
  e.provider = "winevent";
  e.original = record.xml;
  const auto& sys = record.system;
  if (sys.event_id) {
    e.code = *sys.event_id;
    e.event_id = parse_uint<std::uint32_t>(*sys.event_id);
  }
  if (sys.time_created) {
    if (auto t = parse_timestamp(*sys.time_created)) e.timestamp = *t;
  }
  if (!e.timestamp && record.written_time != 0) {
    e.timestamp = TimePoint(std::chrono::microseconds(filetime_to_unix_us(record.written_time)));
  }
  e.channel = sys.channel;
  e.computer_name = sys.computer;
  e.record_id = record.event_record_id ? *record.event_record_id : record.record_id;
  if (!file_path.empty()) e.file_path = std::string(file_path);
  e.offset = record.header_offset;
  return e;
}

Result<EvtxStats> read_evtx(std::string_view file_bytes, const EvtxOptions& options, const EventSink& events,
                            const DiagnosticSink& diagnostics) {
  EvtxReader reader(file_bytes, options);
  return reader.read([&](EvtxRecord&& r) { events(to_event(r, options.file_path)); }, diagnostics);
}

}  // namespace negoheal::parsers::evtx
