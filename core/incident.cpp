#include "core/incident.h"

#include <array>
#include <utility>

namespace negoheal {
namespace {
constexpr std::array<std::pair<IncidentState, std::string_view>, 7> k_names{{
    {IncidentState::detected, "detected"},
    {IncidentState::diagnosing, "diagnosing"},
    {IncidentState::remediating, "remediating"},
    {IncidentState::verifying, "verifying"},
    {IncidentState::resolved, "resolved"},
    {IncidentState::escalated, "escalated"},
    {IncidentState::suppressed, "suppressed"},
}};
}  // namespace

std::string_view to_string(IncidentState s) {
  for (const auto& [state, name] : k_names) {
    if (state == s) return name;
  }
  return "unknown";
}

std::optional<IncidentState> parse_incident_state(std::string_view s) {
  for (const auto& [state, name] : k_names) {
    if (name == s) return state;
  }
  return std::nullopt;
}

}  // namespace negoheal
