#include "agent/diagnose/diagnoser.h"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <deque>
#include <exception>
#include <map>
#include <optional>
#include <string>
#include <unordered_set>
#include <utility>

#include "agent/probe/async_probe.h"
#include "agent/probe/report.h"
#include "core/duration.h"
#include "core/host.h"
#include "core/timestamp.h"

namespace negoheal::diagnose {
namespace {

namespace asio = boost::asio;

constexpr Duration k_hour = std::chrono::hours(1);

using ProbeOutcome = std::optional<Result<probe::ProbeResult>>;

// co_spawn wants a default-constructible result; Result<T> is not, so it travels through `out`.
asio::awaitable<void> run_probe(std::shared_ptr<ProbeOutcome> out, HostPort target, probe::ProbeOptions options) {
  out->emplace(co_await probe::async_probe(std::move(target), options));
}

bool probeable(IncidentState s) {
  return s == IncidentState::detected || s == IncidentState::diagnosing;
}

}  // namespace

Status validate(const DiagnoseOptions& o) {
  if (o.default_port == 0) return make_error("probe.port: must be 1-65535");
  if (o.timeout <= Duration::zero()) return make_error("probe.timeout: must be positive");
  if (o.min_interval < Duration::zero()) return make_error("probe.min_interval: must not be negative");
  if (o.max_concurrent == 0) return make_error("probe.max_concurrent: must be at least 1");
  if (o.max_per_hour == 0) return make_error("probe.max_per_hour: must be at least 1");
  if (o.max_queued == 0) return make_error("probe queue bound: must be at least 1");
  return {};
}

struct Diagnoser::Impl : std::enable_shared_from_this<Impl> {
  // One incident waiting for (or sharing) a probe.
  struct Waiter {
    std::int64_t incident_id = 0;
    std::string cause;            // why the probe runs for it: "incident opened", ...
    bool joined_running = false;  // queued while a probe of its target was already running
  };
  // One probe of host:port and the incidents it answers for (normally exactly one).
  struct Job {
    std::string host;
    std::uint16_t port = 0;
    std::string port_reason;
    std::vector<Waiter> waiters;
    bool rate_limited = false;
    TimePoint started_at{};
    std::chrono::steady_clock::time_point started_steady{};

    [[nodiscard]] std::string key() const { return format_host_port(host, port); }
  };

  Impl(asio::io_context& io, store::Store& store, correlate::Correlator& correlator, const Clock& clock,
       DiagnoseOptions options, OnDiagnosed on_diagnosed)
      : io_(io),
        store_(store),
        correlator_(correlator),
        clock_(clock),
        options_(std::move(options)),
        on_diagnosed_(std::move(on_diagnosed)),
        probes_(store.db()),
        timer_(io) {}

  void on_incident(const Incident& inc, correlate::Change::Kind kind) {
    using Kind = correlate::Change::Kind;
    if (!options_.enabled || stopped_ || (kind != Kind::opened && kind != Kind::reopened)) return;
    if (!inc.target) {
      ++stats_.unattributed;
      note(inc, "not probed: no target could be attributed (unattributed failures are never probed)");
      return;
    }
    if (inc.state != IncidentState::detected) return;
    enqueue(inc, kind == Kind::opened ? "incident opened" : "incident reopened");
    post_pump();
  }

  Status resume() {
    if (!options_.enabled || stopped_) return {};
    seed_starts();
    auto open = store_.open_incidents();
    if (!open) return open.error();
    for (const auto& inc : *open) {
      if (!inc.target || tracked_.contains(inc.id)) continue;
      if (inc.state == IncidentState::detected) {
        enqueue(inc, "diagnosis resumed at start-up");
      } else if (inc.state == IncidentState::diagnosing) {
        auto done = diagnosed_since_entering(inc.id);
        if (!done) return done.error();
        if (!*done) enqueue(inc, "probe resumed at start-up");
      }
    }
    post_pump();
    return {};
  }

  void stop() {
    stopped_ = true;
    for (const auto& job : queue_) {
      for (const auto& w : job.waiters)
        tracked_.erase(w.incident_id);
      stats_.abandoned += job.waiters.size();
    }
    queue_.clear();
    stats_.queued = 0;
    timer_.cancel();
  }

  void pump() {
    if (stopped_) return;
    seed_starts();
    const TimePoint now = clock_.now();
    while (!starts_.empty() && now - starts_.front() >= k_hour)
      starts_.pop_front();
    while (!stopped_ && !queue_.empty()) {
      // A probe of the same target may have finished while this one waited.
      if (auto recent = fresh_probe(queue_.front(), now)) {
        Job job = pop_front();
        record_diagnosis(job, *recent, false);
        continue;
      }
      if (running_.size() >= options_.max_concurrent) return;
      if (starts_.size() >= options_.max_per_hour) {
        Job& job = queue_.front();
        if (!job.rate_limited) {
          job.rate_limited = true;
          stats_.rate_limited += job.waiters.size();
        }
        arm_timer(starts_.front() + k_hour - now);
        return;
      }
      start(pop_front(), now);
    }
  }

  // --- queueing -------------------------------------------------------------------------------

  void enqueue(const Incident& inc, std::string cause) {
    if (tracked_.contains(inc.id)) return;
    const auto where = probe_port(*inc.target, inc.port, options_.overrides, options_.default_port);
    const std::string key = format_host_port(*inc.target, where.port);
    if (auto it = running_.find(key); it != running_.end()) {
      it->second.waiters.push_back({inc.id, std::move(cause), true});
      tracked_.insert(inc.id);
      return;
    }
    if (stats_.queued >= options_.max_queued) {
      ++stats_.dropped;
      note(inc, "not probed: the probe queue is full (" + std::to_string(options_.max_queued) +
                    " incidents waiting); retried at the next start");
      return;
    }
    auto same = std::find_if(queue_.begin(), queue_.end(), [&](const Job& j) { return j.key() == key; });
    if (same != queue_.end()) {
      same->waiters.push_back({inc.id, std::move(cause), false});
    } else {
      queue_.push_back(Job{*inc.target, where.port, where.reason, {{inc.id, std::move(cause), false}}});
    }
    tracked_.insert(inc.id);
    ++stats_.queued;
  }

  Job pop_front() {
    Job job = std::move(queue_.front());
    queue_.pop_front();
    stats_.queued -= job.waiters.size();
    return job;
  }

  void post_pump() {
    if (pump_posted_) return;
    pump_posted_ = true;
    asio::post(io_, [w = weak_from_this()] {
      if (auto self = w.lock()) {
        self->pump_posted_ = false;
        self->pump();
      }
    });
  }

  // Real time, not the injected clock: the timer only has to wake the agent up; pump() decides
  // with clock_.now() (a ManualClock test calls tick() instead).
  void arm_timer(Duration wait) {
    if (timer_armed_) return;
    timer_armed_ = true;
    timer_.expires_after(std::max(wait, Duration(std::chrono::milliseconds(1))));
    timer_.async_wait([w = weak_from_this()](const boost::system::error_code& ec) {
      auto self = w.lock();
      if (!self) return;
      self->timer_armed_ = false;
      if (!ec) self->pump();
    });
  }

  // --- probing --------------------------------------------------------------------------------

  void start(Job job, TimePoint now) {
    const std::string key = job.key();
    std::vector<Waiter> live;
    std::vector<Incident> moved;
    {
      store::Transaction tx(store_.db());
      if (!tx.begun()) return give_up(job, tx.begun().error());
      for (const auto& w : job.waiters) {
        auto inc = load(w.incident_id, job.host);
        if (!inc) return give_up(job, inc.error());
        if (!*inc || !probeable((*inc)->state)) {
          tracked_.erase(w.incident_id);  // closed while it waited: nothing to diagnose
          continue;
        }
        Incident& i = **inc;
        if (i.state == IncidentState::detected) {
          if (auto st = move_to(i, IncidentState::diagnosing, now, "probe " + key + " (" + job.port_reason + ")");
              !st) {
            return give_up(job, st.error());
          }
          moved.push_back(i);
        }
        live.push_back(w);
      }
      if (auto st = tx.commit(); !st) return give_up(job, st.error());
    }
    for (const auto& i : moved)
      correlator_.update(i);
    // Each probe is logged on the target: none for incidents that no longer need it.
    if (live.empty()) return;
    job.waiters = std::move(live);
    job.started_at = now;
    job.started_steady = std::chrono::steady_clock::now();
    starts_.push_back(now);
    ++stats_.probes_started;
    const HostPort target{job.host, job.port};
    running_.emplace(key, std::move(job));
    stats_.in_flight = running_.size();
    auto out = std::make_shared<ProbeOutcome>();
    asio::co_spawn(io_, run_probe(out, target, {.timeout = options_.timeout, .default_port = target.port.value()}),
                   [w = weak_from_this(), key, out](const std::exception_ptr& e) {
                     if (auto self = w.lock()) self->finish(key, *out, e);
                   });
  }

  void finish(const std::string& key, ProbeOutcome& outcome, const std::exception_ptr& e) {
    auto node = running_.extract(key);
    if (node.empty()) return;
    Job job = std::move(node.mapped());
    stats_.in_flight = running_.size();
    ++stats_.probes_finished;
    probe::ProbeResult result;
    if (!e && outcome && *outcome) {
      result = std::move(**outcome);
    } else {
      // No answer at all (the name did not resolve): still a diagnosis, of an unreachable target.
      ++stats_.probe_errors;
      result.target = key;
      result.posture = probe::Posture::unreachable;
      result.note = e ? probe::describe_failure(e) : outcome ? outcome->error().message : "probe did not complete";
      result.elapsed =
          std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - job.started_steady);
    }
    store::ProbeRecord rec;
    rec.target = job.host;
    rec.port = job.port;
    rec.at = job.started_at;
    rec.elapsed_ms = result.elapsed.count();
    rec.posture = std::string(probe::posture_name(result.posture));
    rec.explains = result.explains_nego_failure();
    rec.note = result.note;
    rec.result_json = probe::to_json(result).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    record_diagnosis(job, rec, true);
    pump();
  }

  // Stores each waiter's probe row and applies the diagnosis to each incident still open, in one
  // transaction. `fresh`: `result` is the probe just run (waiter 0 gets it, the others reuse it);
  // otherwise `result` is a stored recent probe that every waiter reuses.
  void record_diagnosis(const Job& job, const store::ProbeRecord& result, bool fresh) {
    const TimePoint now = clock_.now();
    const std::string key = job.key();
    std::vector<Incident> changed;
    std::vector<std::pair<Incident, store::ProbeRecord>> explained;
    std::uint64_t reused = 0;
    {
      store::Transaction tx(store_.db());
      if (!tx.begun()) return give_up(job, tx.begun().error());
      std::optional<std::int64_t> source = fresh ? std::nullopt : std::optional(result.id);
      for (const auto& w : job.waiters) {
        store::ProbeRecord row = result;
        row.incident_id = w.incident_id;
        if (source) {
          row.reused_from = source;
          row.at = now;
          row.elapsed_ms = 0;
          row.cause = "reused probe #" + std::to_string(*source);
        } else {
          row.cause = w.cause;
        }
        auto id = probes_.insert(row);
        if (!id) return give_up(job, id.error());
        row.id = *id;
        if (!source) {
          source = row.id;
        } else {
          ++reused;
        }
        auto inc = load(w.incident_id, job.host);
        if (!inc) return give_up(job, inc.error());
        // Closed meanwhile (by hand, or a later stage): the row stays as the record, the state is not ours.
        if (!*inc || !probeable((*inc)->state)) continue;
        Incident& i = **inc;
        bool moved = false;
        if (i.state == IncidentState::detected) {
          const std::string why = "reused probe #" + std::to_string(*source) + " of " + key +
                                  (w.joined_running ? std::string(" (it was running when the incident was queued)")
                                                    : " from " + format_timestamp(result.at) + " (probed less than " +
                                                          format_duration(options_.min_interval) + " ago)");
          if (auto st = move_to(i, IncidentState::diagnosing, now, why); !st) return give_up(job, st.error());
          moved = true;
        }
        if (row.explains) {
          explained.emplace_back(i, row);
        } else {
          const std::string why = "posture " + row.posture + ": does not explain the failure; no change (probe #" +
                                  std::to_string(row.id) + (row.note.empty() ? "" : ": " + row.note) + ")";
          if (auto st = move_to(i, IncidentState::escalated, now, why); !st) return give_up(job, st.error());
          moved = true;
        }
        if (moved) changed.push_back(i);
      }
      if (auto st = tx.commit(); !st) return give_up(job, st.error());
    }
    for (const auto& w : job.waiters)
      tracked_.erase(w.incident_id);
    stats_.reused += reused;
    for (const auto& i : changed) {
      correlator_.update(i);
      if (i.state == IncidentState::escalated) ++stats_.escalated;
    }
    stats_.explained += explained.size();
    if (on_diagnosed_) {
      for (const auto& [i, row] : explained)
        on_diagnosed_(i, row);
    }
  }

  // --- store helpers --------------------------------------------------------------------------

  // The incident as stored now: the correlator may have attached failures since it was queued.
  Result<std::optional<Incident>> load(std::int64_t id, const std::string& host) {
    store::IncidentFilter f;
    f.host = host;
    auto all = store_.incidents(f);
    if (!all) return all.error();
    for (auto& inc : *all) {
      if (inc.id == id) return std::optional<Incident>(std::move(inc));
    }
    return std::optional<Incident>();
  }

  Status move_to(Incident& inc, IncidentState to, TimePoint now, std::string cause) {
    const IncidentState from = inc.state;
    inc.state = to;
    inc.updated_at = std::max(inc.updated_at, now);
    if (auto st = store_.upsert_incident(inc); !st) return st;
    return store_.add_transition(Transition{inc.id, now, from, to, std::move(cause), std::nullopt});
  }

  // A reason an incident was not probed, as a transition that keeps its state: one statement, so
  // it is safe even inside a transaction of the caller's.
  void note(const Incident& inc, std::string cause) {
    if (auto st = store_.add_transition(
            Transition{inc.id, clock_.now(), inc.state, inc.state, std::move(cause), std::nullopt});
        !st) {
      record_error(st.error());
    }
  }

  std::optional<store::ProbeRecord> fresh_probe(const Job& job, TimePoint now) {
    auto latest = probes_.latest(job.host, job.port);
    if (!latest) {
      record_error(latest.error());
      return std::nullopt;
    }
    if (*latest && now - (*latest)->at < options_.min_interval) return std::move(*latest);
    return std::nullopt;
  }

  // True when a probe row was stored after the incident last entered `diagnosing` (both times come
  // from clock_, unlike the event times of the correlator's transitions).
  Result<bool> diagnosed_since_entering(std::int64_t id) {
    auto transitions = store_.transitions(id);
    if (!transitions) return transitions.error();
    std::optional<TimePoint> entered;
    for (const auto& t : *transitions) {
      if (t.to == IncidentState::diagnosing && t.from != IncidentState::diagnosing) entered = t.at;
    }
    auto rows = probes_.for_incident(id);
    if (!rows) return rows.error();
    return std::any_of(rows->begin(), rows->end(),
                       [&](const store::ProbeRecord& r) { return !entered || r.at >= *entered; });
  }

  // The hourly cap counts probes of earlier runs too, or a crash loop would probe at every start.
  void seed_starts() {
    if (seeded_) return;
    seeded_ = true;
    auto rows = probes_.started_since(clock_.now() - k_hour);
    if (!rows) return record_error(rows.error());
    starts_.insert(starts_.begin(), rows->begin(), rows->end());
  }

  void give_up(const Job& job, const Error& error) {
    // The incidents keep their stored state; resume() at the next start picks them up again.
    for (const auto& w : job.waiters)
      tracked_.erase(w.incident_id);
    record_error(error);
  }

  void record_error(const Error& error) {
    ++stats_.store_errors;
    stats_.last_error = error.message;
  }

  asio::io_context& io_;
  store::Store& store_;
  correlate::Correlator& correlator_;
  const Clock& clock_;
  DiagnoseOptions options_;
  OnDiagnosed on_diagnosed_;
  store::ProbeLog probes_;
  asio::steady_timer timer_;
  bool timer_armed_ = false;
  bool pump_posted_ = false;
  bool stopped_ = false;
  bool seeded_ = false;
  std::deque<Job> queue_;
  std::map<std::string, Job> running_;        // by host:port
  std::unordered_set<std::int64_t> tracked_;  // incidents queued or running
  std::deque<TimePoint> starts_;              // probe starts within the last hour, oldest first
  DiagnoseStats stats_;
};

Diagnoser::Diagnoser(asio::io_context& io, store::Store& store, correlate::Correlator& correlator, const Clock& clock,
                     DiagnoseOptions options, OnDiagnosed on_diagnosed)
    : impl_(std::make_shared<Impl>(io, store, correlator, clock, std::move(options), std::move(on_diagnosed))) {}

Diagnoser::~Diagnoser() {
  impl_->stop();
}

void Diagnoser::on_incident(const Incident& incident, correlate::Change::Kind kind) {
  impl_->on_incident(incident, kind);
}
Status Diagnoser::resume() {
  return impl_->resume();
}
void Diagnoser::tick() {
  impl_->pump();
}
void Diagnoser::stop() {
  impl_->stop();
}
const DiagnoseStats& Diagnoser::stats() const {
  return impl_->stats_;
}
bool Diagnoser::idle() const {
  return impl_->queue_.empty() && impl_->running_.empty();
}

}  // namespace negoheal::diagnose
