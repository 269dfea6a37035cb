#pragma once
// An incident: one target's failure, from detection to resolution or escalation. Every change of
// state is a Transition row with its cause (ARCHITECTURE §2).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace negoheal {

enum class IncidentState { detected, diagnosing, remediating, verifying, resolved, escalated, suppressed };

std::string_view to_string(IncidentState s);
std::optional<IncidentState> parse_incident_state(std::string_view s);
inline bool is_terminal(IncidentState s) {
  return s == IncidentState::resolved || s == IncidentState::escalated || s == IncidentState::suppressed;
}

inline constexpr std::string_view k_unattributed = "(unattributed)";

struct Incident {
  std::int64_t id = 0;
  std::optional<std::string> target;  // normalized host; nullopt = failures nobody could attribute
  std::optional<std::uint16_t> port;
  IncidentState state = IncidentState::detected;
  TimePoint opened_at{};
  TimePoint updated_at{};
  TimePoint last_failure_at{};
  std::int64_t failures = 0;  // distinct failed attempts attached

  [[nodiscard]] std::string target_label() const { return target ? *target : std::string(k_unattributed); }
};

struct Transition {
  std::int64_t incident_id = 0;
  TimePoint at{};
  std::optional<IncidentState> from;
  IncidentState to = IncidentState::detected;
  std::string cause;
  std::optional<std::int64_t> event_id;
};

}  // namespace negoheal
