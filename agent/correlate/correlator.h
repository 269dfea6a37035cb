#pragma once
// Events -> incident changes. A pure state machine over (event, now): no I/O, no clock reads, so
// replays, the live agent and tests all drive it the same way.
//
// Per target (normalized host; failures nobody could attribute share one "(unattributed)" key):
//  - dedupe: lines of one failed attempt count once. Parsers that know attempt boundaries (FreeRDP,
//    by thread context) already emit one event per attempt; other sources are deduped here by
//    (target, source, thread or session) within `dedupe`;
//  - window/threshold: an incident opens when `threshold` attempts fall within `window`;
//  - while an incident is open, further attempts attach to it;
//  - cooldown: an attempt within `cooldown` after an incident closed reopens that incident instead
//    of opening a new one (a relapse is the same story, and later escalates); an escalated
//    incident is not reopened: its further failures attach to it while a human looks at it.
// Event time (@timestamp) drives windows, so a replay of old logs correlates like the live agent.
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "core/event.h"
#include "core/incident.h"

namespace negoheal::correlate {

struct Options {
  Duration window = std::chrono::minutes(10);
  std::int64_t threshold = 1;
  Duration cooldown = std::chrono::minutes(30);
  Duration dedupe = std::chrono::seconds(2);
};

struct Change {
  enum class Kind {
    ignored,    // not a failure this correlator tracks
    duplicate,  // another line of an attempt already counted
    counted,    // a new attempt, below the threshold: no incident yet
    opened,     // a new incident
    attached,   // a new attempt of an open incident
    reopened,   // an attempt within the cooldown of a closed incident
  };
  Kind kind = Kind::ignored;
  std::optional<Incident> incident;      // the incident after the change
  std::optional<Transition> transition;  // opened / reopened
  TimePoint window_start{};              // opened: attempts since then belong to it
};

class Correlator {
 public:
  explicit Correlator(Options options, std::int64_t last_incident_id = 0);

  // Incidents that were open (or recently closed) when the agent stopped.
  void restore(const std::vector<Incident>& incidents);

  // `source` identifies the input the event came from (dedupe key part).
  Change observe(const Event& e, std::string_view source, TimePoint now);

  // Forgets state that can no longer matter (attempts older than the window, dedupe entries,
  // closed incidents past their cooldown). Bounded memory for long-running agents.
  void tick(TimePoint now);

  // A later stage (diagnose, remediate) changed an incident's state.
  void update(const Incident& incident);

  [[nodiscard]] std::size_t tracked_targets() const { return targets_.size(); }

 private:
  struct Target {
    std::deque<TimePoint> attempts;                        // within the window
    std::optional<Incident> incident;                      // open, or closed and still within its cooldown
    std::unordered_map<std::string, TimePoint> last_line;  // dedupe key -> time
    TimePoint last_seen{};
  };

  Options options_;
  std::int64_t next_id_;
  std::unordered_map<std::string, Target> targets_;
};

}  // namespace negoheal::correlate
