#pragma once
// The normalized event: what every parser produces and the store keeps. Its JSON form is the
// contract of ARCHITECTURE §4.2 (Elastic Common Schema names); unknown fields are omitted.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"

namespace negoheal {

inline constexpr std::string_view k_nego_failure_code = "ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED";

struct Event {
  std::optional<TimePoint> timestamp;  // @timestamp
  std::string code;                    // event.code
  std::string kind = "event";          // event.kind
  std::string outcome;                 // event.outcome ("failure" for the NEGO failure)
  std::string provider;                // event.provider: freerdp | nps-proxy | winevent | syslog
  std::string original;                // event.original: the raw line or rendered record

  std::optional<std::string> host;    // destination.address, normalized (never invented)
  std::optional<std::uint16_t> port;  // destination.port
  std::optional<std::string> user;    // user.name

  std::optional<std::string> failure_code;           // negoheal.failure_code (SSL_NOT_ALLOWED_BY_SERVER ...)
  std::optional<std::uint32_t> requested_protocols;  // negoheal.requested_protocols
  std::optional<std::uint32_t> selected_protocol;    // negoheal.selected_protocol
  std::optional<std::string> thread;                 // negoheal.thread ("pid:tid")
  std::optional<std::string> session;                // negoheal.session
  std::optional<std::string> attribution;            // negoheal.attribution: how the host was found

  std::optional<std::string> file_path;  // log.file.path
  std::optional<std::uint64_t> offset;   // log.offset: byte offset of the line start

  std::optional<std::string> channel;        // winlog.channel
  std::optional<std::uint32_t> event_id;     // winlog.event_id
  std::optional<std::uint64_t> record_id;    // winlog.record_id
  std::optional<std::string> computer_name;  // winlog.computer_name

  [[nodiscard]] bool is_nego_failure() const { return code == k_nego_failure_code; }
  friend bool operator==(const Event&, const Event&) = default;
};

// One JSON object, no trailing newline, keys in the contract's order.
std::string to_json_line(const Event& e);
Result<Event> event_from_json(std::string_view text);

}  // namespace negoheal
