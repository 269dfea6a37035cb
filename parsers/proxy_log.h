#pragma once
// Text proxy logs -> events. One parser per file: it keeps the per-thread attribution context.
//
// Lines in FreeRDP's WLog format are read as FreeRDP; any other line that carries a failure token
// is read as an NPS proxy line (its format is not public, DOMAIN §2). A failure line names no
// target: it takes the host of the most recent "connecting to peer" (or a configured context
// pattern) of the same [pid:tid] before it in the same file. Without one it stays unattributed.
//
// One failed attempt logs several lines (WARN Error: ..., Protocol Security Negotiation Failure,
// ERRCONNECT_... [0x0002000C], ...). The detail lines enrich the context; the error line emits one
// event; further error lines of the same attempt are counted as duplicates, not emitted.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "parsers/event_sink.h"
#include "parsers/nps/line_fields.h"
#include "parsers/text/anchor_scan.h"

namespace negoheal::parsers {

enum class TextFormat { any, freerdp, nps };

struct ProxyLogOptions {
  TextFormat format = TextFormat::any;
  std::shared_ptr<const LinePatterns> patterns;  // required; LinePatterns::compile({}, {}) for none
  std::size_t max_contexts = 65536;              // threads remembered at once (bounded memory)
};

class ProxyLogParser {
 public:
  ProxyLogParser(ProxyLogOptions options, std::string file_path);

  // `data` holds complete lines (the last one may lack its newline only at end of input);
  // `base_offset` is the file offset of data[0].
  void feed(std::string_view data, std::uint64_t base_offset, const TimeAnchor& anchor, const EventSink& sink);

  [[nodiscard]] const ParserStats& stats() const { return stats_; }

 private:
  struct Context {
    std::optional<std::string> host;
    std::optional<std::uint16_t> port;
    std::string host_text;  // as logged, to skip re-validating the same peer
    bool host_rejected = false;
    std::optional<std::uint32_t> requested;
    std::optional<std::uint32_t> selected;
    std::optional<std::string> failure_code;
    bool reported = false;  // the current attempt's failure was emitted
    std::uint64_t touched = 0;
  };

  void line(std::string_view text, std::uint64_t offset, const TimeAnchor& anchor, const EventSink& sink);
  void wlog_line(std::string_view text, std::uint64_t offset, const struct WlogLine& w, const TimeAnchor& anchor,
                 const EventSink& sink);
  void nps_line(std::string_view text, std::uint64_t offset, const TimeAnchor& anchor, const EventSink& sink);
  Context& context(std::string_view key);
  void set_context_host(Context& c, std::string_view host_text, std::optional<std::uint16_t> port);
  void emit(Event&& e, const EventSink& sink);

  ProxyLogOptions options_;
  std::string file_path_;
  AnchorScanner scanner_;
  struct KeyHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, Context, KeyHash, std::equal_to<>> contexts_;
  std::uint64_t clock_ = 0;
  ParserStats stats_;
};

// Resolves a time of day (no date) against the anchor: the latest such instant that is not later
// than the reference plus five minutes of slack.
TimePoint resolve_time_of_day(std::chrono::milliseconds time_of_day, const TimeAnchor& anchor);

}  // namespace negoheal::parsers
