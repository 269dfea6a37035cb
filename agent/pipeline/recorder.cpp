#include "agent/pipeline/recorder.h"

namespace negoheal::pipeline {

Result<correlate::Change> Recorder::record(std::int64_t source_id, std::string_view identity, Event&& e) {
  using Kind = correlate::Change::Kind;
  ++stats_.events;
  const std::uint64_t offset = e.offset.value_or(e.record_id.value_or(0));
  auto ins = store_.insert_event(source_id, offset, e);
  if (!ins) return ins.error();
  if (!ins->is_new) {
    ++stats_.known_events;
    return correlate::Change{};
  }
  ++stats_.new_events;
  auto change = correlator_->observe(e, identity, clock_.now());
  if (change.kind == Kind::ignored) return change;
  if (change.kind == Kind::duplicate) {
    ++stats_.duplicates;
    const auto incident = change.incident ? std::optional(change.incident->id) : std::nullopt;
    if (auto st = store_.link_event(ins->id, incident, false); !st) return st.error();
    return change;
  }
  ++stats_.attempts;
  if (!e.host) ++stats_.unattributed;
  if (!change.incident) return change;
  const Incident& inc = *change.incident;
  if (auto st = store_.upsert_incident(inc); !st) return st.error();
  if (auto st = store_.link_event(ins->id, inc.id, true); !st) return st.error();
  if (change.transition) {
    change.transition->event_id = ins->id;
    if (auto st = store_.add_transition(*change.transition); !st) return st.error();
  }
  if (change.kind == Kind::opened) {
    ++stats_.incidents_opened;
    const TimePoint t = e.timestamp.value_or(clock_.now());
    if (auto st = store_.link_pending(inc.target, change.window_start, t, inc.id); !st) return st.error();
  }
  if (change.kind == Kind::reopened) ++stats_.incidents_reopened;
  return change;
}

}  // namespace negoheal::pipeline
