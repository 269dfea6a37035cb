#include "agent/correlate/correlator.h"

#include "core/duration.h"

namespace negoheal::correlate {
namespace {

std::string target_key(const std::optional<std::string>& host) {
  return host ? *host : std::string();
}

}  // namespace

Correlator::Correlator(Options options, std::int64_t last_incident_id)
    : options_(options), next_id_(last_incident_id + 1) {}

void Correlator::restore(const std::vector<Incident>& incidents) {
  for (const auto& inc : incidents) {
    auto& t = targets_[target_key(inc.target)];
    t.incident = inc;
    t.last_seen = inc.last_failure_at;
    if (inc.id >= next_id_) next_id_ = inc.id + 1;
  }
}

void Correlator::update(const Incident& incident) {
  auto it = targets_.find(target_key(incident.target));
  if (it != targets_.end() && it->second.incident && it->second.incident->id == incident.id) {
    it->second.incident = incident;
  }
}

Change Correlator::observe(const Event& e, std::string_view source, TimePoint now) {
  Change change;
  if (!e.is_nego_failure()) return change;
  const TimePoint t = e.timestamp.value_or(now);
  const std::string key = target_key(e.host);
  Target& target = targets_[key];
  if (t > target.last_seen) target.last_seen = t;

  // Dedupe only where the parser cannot tell attempts apart.
  if (e.provider != "freerdp") {
    std::string line_key(source);
    line_key += '\x1f';
    line_key += e.thread ? *e.thread : e.session ? *e.session : std::string();
    auto [it, fresh] = target.last_line.try_emplace(line_key, t);
    if (!fresh) {
      const auto gap = t > it->second ? t - it->second : it->second - t;
      it->second = std::max(it->second, t);
      if (gap <= options_.dedupe) {
        change.kind = Change::Kind::duplicate;
        change.incident = target.incident;
        return change;
      }
    }
  }

  target.attempts.push_back(t);
  while (!target.attempts.empty() && target.attempts.front() < target.last_seen - options_.window) {
    target.attempts.pop_front();
  }

  // Open, or escalated and still failing: an escalated incident waits for a human, so further
  // failures are counted on it instead of reopening it (which would re-diagnose and re-escalate
  // on every failure). Once quiet for the cooldown, a new failure opens a fresh incident.
  const bool waits_for_human = target.incident && target.incident->state == IncidentState::escalated &&
                               t - target.incident->updated_at <= options_.cooldown;
  if (target.incident && (!is_terminal(target.incident->state) || waits_for_human)) {
    auto& inc = *target.incident;
    ++inc.failures;
    inc.last_failure_at = std::max(inc.last_failure_at, t);
    inc.updated_at = std::max(inc.updated_at, t);
    if (!inc.port && e.port) inc.port = e.port;
    change.kind = Change::Kind::attached;
    change.incident = inc;
    return change;
  }

  if (target.incident && t - target.incident->updated_at <= options_.cooldown) {
    auto& inc = *target.incident;
    const IncidentState from = inc.state;
    inc.state = IncidentState::detected;
    ++inc.failures;
    inc.last_failure_at = std::max(inc.last_failure_at, t);
    inc.updated_at = std::max(inc.updated_at, t);
    change.kind = Change::Kind::reopened;
    change.incident = inc;
    change.transition = Transition{inc.id,
                                   t,
                                   from,
                                   IncidentState::detected,
                                   "failure again within the cooldown (" + format_duration(options_.cooldown) +
                                       ") after the incident was " + std::string(to_string(from)),
                                   std::nullopt};
    return change;
  }

  if (static_cast<std::int64_t>(target.attempts.size()) < options_.threshold) {
    change.kind = Change::Kind::counted;
    return change;
  }

  Incident inc;
  inc.id = next_id_++;
  inc.target = e.host;
  inc.port = e.port;
  inc.state = IncidentState::detected;
  inc.opened_at = target.attempts.front();
  inc.updated_at = t;
  inc.last_failure_at = t;
  inc.failures = static_cast<std::int64_t>(target.attempts.size());
  target.incident = inc;
  change.kind = Change::Kind::opened;
  change.incident = inc;
  change.window_start = target.attempts.front();
  std::string cause = std::to_string(target.attempts.size()) + " failed attempt" +
                      (target.attempts.size() == 1 ? "" : "s") + " within " + format_duration(options_.window) +
                      " (threshold " + std::to_string(options_.threshold) + ")";
  if (!e.host) cause += "; no target could be attributed";
  change.transition = Transition{inc.id, t, std::nullopt, IncidentState::detected, std::move(cause), std::nullopt};
  return change;
}

void Correlator::tick(TimePoint now) {
  for (auto it = targets_.begin(); it != targets_.end();) {
    Target& t = it->second;
    const TimePoint horizon = std::max(now, t.last_seen);
    while (!t.attempts.empty() && t.attempts.front() < horizon - options_.window)
      t.attempts.pop_front();
    std::erase_if(t.last_line, [&](const auto& kv) { return kv.second < horizon - options_.dedupe; });
    if (t.incident && is_terminal(t.incident->state) && horizon - t.incident->updated_at > options_.cooldown) {
      t.incident.reset();
    }
    if (t.attempts.empty() && t.last_line.empty() && !t.incident) {
      it = targets_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace negoheal::correlate
