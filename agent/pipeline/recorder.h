#pragma once
// Event -> store -> correlator -> store: the step every input shares (replay, tailing, later
// event channels). An event is stored once per (source, offset); only an event not seen before
// reaches the correlator, so re-reading bytes (a replay twice, a tail resumed after a crash)
// changes nothing. Call it inside the transaction that also commits the input's checkpoint.
#include <cstdint>
#include <string_view>

#include "agent/correlate/correlator.h"
#include "agent/store/store.h"
#include "core/clock.h"

namespace negoheal::pipeline {

struct RecordStats {
  std::uint64_t events = 0;        // parsed
  std::uint64_t new_events = 0;    // stored now (not seen before)
  std::uint64_t known_events = 0;  // stored by an earlier run
  std::uint64_t attempts = 0;      // distinct failed attempts
  std::uint64_t duplicates = 0;    // further lines of a counted attempt
  std::uint64_t unattributed = 0;  // failures without a target
  std::uint64_t incidents_opened = 0;
  std::uint64_t incidents_reopened = 0;
};

class Recorder {
 public:
  Recorder(store::Store& store, correlate::Correlator& correlator, const Clock& clock)
      : store_(store), correlator_(&correlator), clock_(clock) {}

  // The correlator's change (kind `ignored` for an event seen before).
  Result<correlate::Change> record(std::int64_t source_id, std::string_view identity, Event&& e);

  // After a failed transaction the caller rebuilds the correlator from the store.
  void use(correlate::Correlator& correlator) { correlator_ = &correlator; }
  [[nodiscard]] correlate::Correlator& correlator() { return *correlator_; }
  [[nodiscard]] const RecordStats& stats() const { return stats_; }
  [[nodiscard]] RecordStats& stats() { return stats_; }

 private:
  store::Store& store_;
  correlate::Correlator* correlator_;
  const Clock& clock_;
  RecordStats stats_;
};

}  // namespace negoheal::pipeline
