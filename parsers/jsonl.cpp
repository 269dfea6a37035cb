#include "parsers/jsonl.h"

#include <cstring>

namespace negoheal::parsers {

JsonLinesParser::JsonLinesParser(DiagnosticSink diagnostics, std::string file_path)
    : diagnostics_(std::move(diagnostics)), file_path_(std::move(file_path)) {}

void JsonLinesParser::feed(std::string_view data, std::uint64_t base_offset, const TimeAnchor& /*anchor*/,
                           const EventSink& sink) {
  stats_.bytes += data.size();
  std::size_t begin = (base_offset == 0 && data.substr(0, 3) == "\xEF\xBB\xBF") ? 3 : 0;
  while (begin < data.size()) {
    const char* nl = static_cast<const char*>(std::memchr(data.data() + begin, '\n', data.size() - begin));
    const std::size_t end = nl ? static_cast<std::size_t>(nl - data.data()) : data.size();
    std::string_view line = data.substr(begin, end - begin);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const bool blank = line.find_first_not_of(" \t") == std::string_view::npos;
    if (!blank) {
      ++stats_.candidate_lines;
      auto e = event_from_json(line);
      if (e) {
        ++stats_.events;
        sink(std::move(*e));
      } else {
        ++stats_.malformed;
        if (diagnostics_) diagnostics_(base_offset + begin, e.error().message);
      }
    }
    begin = end + 1;
  }
}

}  // namespace negoheal::parsers
