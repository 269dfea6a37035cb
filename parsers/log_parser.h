#pragma once
// The interface every line-oriented parser implements, and the registry that picks one.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "parsers/event_sink.h"
#include "parsers/nps/line_fields.h"

namespace negoheal::parsers {

// A record that could not be read: where and why. It is reported and skipped, never fatal.
using DiagnosticSink = std::function<void(std::uint64_t offset, std::string_view reason)>;

class LogParser {
 public:
  virtual ~LogParser() = default;
  // `data` holds complete lines; `base_offset` is the file offset of data[0].
  virtual void feed(std::string_view data, std::uint64_t base_offset, const TimeAnchor& anchor,
                    const EventSink& sink) = 0;
  [[nodiscard]] virtual const ParserStats& stats() const = 0;
};

// `text` is what detection returns for plain text: FreeRDP and NPS lines told apart line by line.
enum class InputFormat { automatic, text, freerdp, nps, jsonl, winevent_xml, evtx, syslog };

std::string_view to_string(InputFormat f);
std::optional<InputFormat> parse_input_format(std::string_view name);
inline constexpr std::string_view k_input_format_names = "auto|freerdp|nps|winevent-xml|evtx|jsonl|syslog";

// Decides the format from the first bytes of an input (up to a few KiB). Text that is neither
// JSON lines, event XML, syslog nor EVTX is a proxy log (FreeRDP and NPS lines mixed).
InputFormat detect_format(std::string_view head);

struct ParserOptions {
  std::shared_ptr<const LinePatterns> patterns;  // compiled once per configuration
  DiagnosticSink diagnostics;                    // may be empty
};

// A parser for one input. `format` must not be automatic (detect first). Formats this build
// cannot read yet return an error that says so.
Result<std::unique_ptr<LogParser>> make_parser(InputFormat format, const ParserOptions& options, std::string file_path);

}  // namespace negoheal::parsers
