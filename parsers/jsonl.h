#pragma once
// JSON lines in: one normalized event (ARCHITECTURE §4.2) per line, as `parse` prints them.
#include <string>

#include "parsers/log_parser.h"

namespace negoheal::parsers {

class JsonLinesParser final : public LogParser {
 public:
  JsonLinesParser(DiagnosticSink diagnostics, std::string file_path);
  void feed(std::string_view data, std::uint64_t base_offset, const TimeAnchor& anchor, const EventSink& sink) override;
  [[nodiscard]] const ParserStats& stats() const override { return stats_; }

 private:
  DiagnosticSink diagnostics_;
  std::string file_path_;
  ParserStats stats_;
};

}  // namespace negoheal::parsers
