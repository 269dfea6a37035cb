#pragma once
// Fields of a proxy log line whose format is not public (DOMAIN §2): a leading timestamp in the
// common forms, a target (host:port, host=/target= fields, IP literals), user and session. The user
// may declare exact line formats as RE2 patterns with named groups ts, host, port, user, session;
// those are tried first. All patterns are compiled once, when the configuration is loaded.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "parsers/event_sink.h"

namespace re2 {
class RE2;
}

namespace negoheal::parsers {

struct LineFields {
  std::optional<TimePoint> timestamp;
  std::optional<std::string> host_text;  // as found, not yet validated
  std::optional<std::uint16_t> port;
  std::optional<std::string> user;
  std::optional<std::string> session;
  bool from_declared_format = false;
};

// A context line names the target of later failures of the same thread/session, like FreeRDP's
// "connecting to peer HOST". Named groups: host (required), port, session.
struct ContextMatch {
  std::string host_text;
  std::optional<std::uint16_t> port;
  std::optional<std::string> session;
};

class LinePatterns {
 public:
  // Errors name the pattern ("line_formats[2]: missing group (?P<host>...)").
  static Result<std::shared_ptr<const LinePatterns>> compile(const std::vector<std::string>& line_formats,
                                                             const std::vector<std::string>& context_patterns);
  ~LinePatterns();
  LinePatterns(const LinePatterns&) = delete;
  LinePatterns& operator=(const LinePatterns&) = delete;

  [[nodiscard]] LineFields extract(std::string_view line, const TimeAnchor& anchor) const;
  [[nodiscard]] std::optional<ContextMatch> match_context(std::string_view line) const;
  [[nodiscard]] bool has_context_patterns() const { return !context_.empty(); }

 private:
  LinePatterns();
  struct Builtin;
  std::unique_ptr<Builtin> builtin_;
  std::vector<std::unique_ptr<re2::RE2>> formats_;
  std::vector<std::unique_ptr<re2::RE2>> context_;
};

}  // namespace negoheal::parsers
