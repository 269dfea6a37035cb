#pragma once
// New incidents -> the negotiation probe -> a diagnosis (DOMAIN §6-§7). Each incident with a target
// is probed on the host and port the proxy used; the probe row (raw answers included) and the
// incident's new state commit in one transaction, so the store, the correlator's copy and the
// timeline agree.
//
// States: detected -> diagnosing when the probe starts (or a recent result is reused); then
//  - the posture explains the failure (rdp-only, legacy): stays diagnosing, OnDiagnosed is called
//    (the remediation planner takes it from there);
//  - any other posture, a probe error included (unreachable): -> escalated, "no change", a human
//    decides (DOMAIN §7: the seed's fixes heal only the RDP-only posture).
// Unattributed incidents are never probed; a full queue is never silent: both leave a transition
// (detected -> detected) with the reason.
//
// Probes are logged on the target, so they are spaced out: a target (host:port) probed less than
// min_interval ago gets that result again ("reused probe #N", nothing sent); at most
// max_concurrent probes run at once and at most max_per_hour start per rolling hour (counted from
// the store across restarts); the rest wait in a bounded FIFO.
//
// @par Thread safety
// Single-threaded: every member function must be called on the io_context's thread (or before it
// runs). The Diagnoser opens its own SQLite transactions from its own io_context handlers, so the
// caller must not keep a transaction open across handlers; on_incident() itself writes at most one
// statement. The io_context, store, correlator and clock must outlive the Diagnoser. A probe still
// running when the Diagnoser is destroyed finishes unobserved and its incident stays diagnosing
// without a result, so the next resume() probes that target again: to replace a Diagnoser (a
// reload), stop() it and run the io_context until idle() first (bounded by about 4 * timeout).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "agent/correlate/correlator.h"
#include "agent/diagnose/target_port.h"
#include "agent/probe/probe.h"
#include "agent/store/probe_log.h"
#include "agent/store/store.h"
#include "core/clock.h"
#include "core/incident.h"
#include "core/result.h"

namespace boost::asio {
class io_context;
}

namespace negoheal::diagnose {

struct DiagnoseOptions {
  bool enabled = true;                                 // false: on_incident() and resume() do nothing
  std::uint16_t default_port = probe::k_default_port;  // when neither the event nor OverridePort says
  Duration timeout = probe::k_default_timeout;         // per request (probe::ProbeOptions::timeout)
  Duration min_interval = std::chrono::minutes(5);     // per target: reuse a result younger than this
  std::size_t max_concurrent = 2;
  std::size_t max_per_hour = 30;
  std::size_t max_queued = 1000;        // incidents waiting for a probe
  std::vector<OverridePort> overrides;  // the proxy's sbpam_rdp.json OverridePort list
};

// Zero caps would queue incidents forever and a non-positive timeout fails every probe: errors,
// never clamped.
Status validate(const DiagnoseOptions& options);

struct DiagnoseStats {
  std::uint64_t probes_started = 0;   // probes sent to a target
  std::uint64_t probes_finished = 0;  // results stored (probe errors included)
  std::uint64_t probe_errors = 0;     // no result (the name did not resolve): stored as unreachable
  std::uint64_t reused = 0;           // incidents diagnosed with a recent probe of their target
  std::uint64_t rate_limited = 0;     // incidents that had to wait for the hourly cap
  std::uint64_t dropped = 0;          // not queued: the queue was full
  std::uint64_t abandoned = 0;        // still queued when stop() was called
  std::uint64_t unattributed = 0;     // incidents not probed: no target
  std::uint64_t explained = 0;        // diagnoses whose posture explains the failure
  std::uint64_t escalated = 0;        // diagnoses whose posture does not
  std::uint64_t store_errors = 0;
  std::string last_error;     // the latest store error, for the daemon's log and health
  std::size_t queued = 0;     // gauge: incidents waiting
  std::size_t in_flight = 0;  // gauge: probes running
};

class Diagnoser {
 public:
  // Called after the result committed, for an incident whose posture explains the failure (it
  // stays diagnosing), also for a probe that finishes after stop(). Must not throw, nor destroy
  // the Diagnoser.
  using OnDiagnosed = std::function<void(const Incident&, const store::ProbeRecord&)>;

  Diagnoser(boost::asio::io_context& io, store::Store& store, correlate::Correlator& correlator, const Clock& clock,
            DiagnoseOptions options, OnDiagnosed on_diagnosed = {});
  ~Diagnoser();
  Diagnoser(const Diagnoser&) = delete;
  Diagnoser& operator=(const Diagnoser&) = delete;

  // After an `opened` or `reopened` change committed (other kinds are ignored). Queues the probe;
  // the store work happens in a handler posted to the io_context.
  void on_incident(const Incident& incident, correlate::Change::Kind kind);

  // At start-up: open incidents in detected, or in diagnosing without a probe result since they
  // entered it, are queued again. Idempotent (incidents already queued or running are skipped).
  Status resume();

  // Re-evaluates the hourly cap against the clock. A timer does this on its own in production; tests
  // that drive a ManualClock call it after advancing the clock.
  void tick();

  // Starts no new probe; queued incidents are dropped (resume() queues them at the next start).
  // Probes already running finish and are stored: wait for idle().
  void stop();

  [[nodiscard]] const DiagnoseStats& stats() const;
  [[nodiscard]] bool idle() const;  // nothing queued or in flight

 private:
  struct Impl;
  // Shared with the handlers of running probes, which hold it weakly: a result arriving after the
  // Diagnoser is gone is dropped instead of touching freed memory.
  std::shared_ptr<Impl> impl_;
};

}  // namespace negoheal::diagnose
