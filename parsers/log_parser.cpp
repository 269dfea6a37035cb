#include "parsers/log_parser.h"

#include <array>
#include <utility>

#include "parsers/jsonl.h"
#include "parsers/proxy_log.h"

namespace negoheal::parsers {
namespace {

constexpr std::array<std::pair<InputFormat, std::string_view>, 8> k_formats{{
    {InputFormat::automatic, "auto"},
    {InputFormat::text, "text"},
    {InputFormat::freerdp, "freerdp"},
    {InputFormat::nps, "nps"},
    {InputFormat::jsonl, "jsonl"},
    {InputFormat::winevent_xml, "winevent-xml"},
    {InputFormat::evtx, "evtx"},
    {InputFormat::syslog, "syslog"},
}};

class ProxyLogAdapter final : public LogParser {
 public:
  ProxyLogAdapter(ProxyLogOptions options, std::string path) : parser_(std::move(options), std::move(path)) {}
  void feed(std::string_view data, std::uint64_t base_offset, const TimeAnchor& anchor,
            const EventSink& sink) override {
    parser_.feed(data, base_offset, anchor, sink);
  }
  [[nodiscard]] const ParserStats& stats() const override { return parser_.stats(); }

 private:
  ProxyLogParser parser_;
};

}  // namespace

std::string_view to_string(InputFormat f) {
  for (const auto& [fmt, name] : k_formats) {
    if (fmt == f) return name;
  }
  return "?";
}

std::optional<InputFormat> parse_input_format(std::string_view name) {
  for (const auto& [fmt, n] : k_formats) {
    if (n == name) return fmt;
  }
  return std::nullopt;
}

InputFormat detect_format(std::string_view head) {
  if (head.substr(0, 8) == std::string_view("ElfFile\0", 8)) return InputFormat::evtx;
  if (head.substr(0, 3) == "\xEF\xBB\xBF") head.remove_prefix(3);
  const auto first = head.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return InputFormat::text;
  head.remove_prefix(first);
  if (head.front() == '{') return InputFormat::jsonl;
  if (head.substr(0, 6) == "<Event" || head.substr(0, 5) == "<?xml") return InputFormat::winevent_xml;
  // RFC 5424/3164: "<PRI>" with PRI 0..191 at the start of the line.
  if (head.front() == '<') {
    std::size_t i = 1;
    while (i < head.size() && i < 5 && head[i] >= '0' && head[i] <= '9')
      ++i;
    if (i > 1 && i < head.size() && head[i] == '>') return InputFormat::syslog;
  }
  return InputFormat::text;
}

Result<std::unique_ptr<LogParser>> make_parser(InputFormat format, const ParserOptions& options,
                                               std::string file_path) {
  switch (format) {
    case InputFormat::text:
    case InputFormat::freerdp:
    case InputFormat::nps: {
      ProxyLogOptions po;
      po.patterns = options.patterns;
      po.format = format == InputFormat::freerdp ? TextFormat::freerdp
                  : format == InputFormat::nps   ? TextFormat::nps
                                                 : TextFormat::any;
      return std::unique_ptr<LogParser>(std::make_unique<ProxyLogAdapter>(std::move(po), std::move(file_path)));
    }
    case InputFormat::jsonl:
      return std::unique_ptr<LogParser>(std::make_unique<JsonLinesParser>(options.diagnostics, std::move(file_path)));
    case InputFormat::automatic:
      return make_error("internal: detect the format before making a parser");
    case InputFormat::evtx:
      // Chunks are ordered by record id across the whole file: not a line stream.
      return make_error("EVTX is read whole (parsers/evtx read_evtx), not line by line");
    case InputFormat::winevent_xml:
    case InputFormat::syslog:
      break;
  }
  return make_error("input format '" + std::string(to_string(format)) + "' is not supported by this build yet");
}

}  // namespace negoheal::parsers
