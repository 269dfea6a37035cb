#pragma once
// Input files -> parser -> store -> correlator -> store: the offline half of the pipeline that
// `replay` runs (and the live agent reuses per chunk). Each event is stored once (source identity
// + offset); only events not seen before reach the correlator, so replaying a file twice changes
// nothing.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "agent/correlate/correlator.h"
#include "agent/store/store.h"
#include "core/clock.h"
#include "parsers/log_parser.h"

namespace negoheal::pipeline {

struct InputOptions {
  parsers::InputFormat format = parsers::InputFormat::automatic;
  std::shared_ptr<const parsers::LinePatterns> patterns;
  std::optional<TimePoint> reference;                // default: the file's modification time
  std::optional<std::chrono::seconds> local_offset;  // default: the machine's zone
  parsers::DiagnosticSink diagnostics;
};

struct IngestStats {
  std::uint64_t files = 0;
  std::uint64_t bytes = 0;
  std::uint64_t events = 0;        // parsed
  std::uint64_t new_events = 0;    // stored now (not seen before)
  std::uint64_t known_events = 0;  // stored by an earlier run
  std::uint64_t attempts = 0;      // distinct failed attempts
  std::uint64_t duplicates = 0;    // further lines of a counted attempt
  std::uint64_t unattributed = 0;  // failures without a target
  std::uint64_t incidents_opened = 0;
  std::uint64_t long_lines_cut = 0;
};

// A correlator that continues where the store left off: incident ids after the last one, open
// incidents restored.
Result<std::unique_ptr<correlate::Correlator>> resume_correlator(store::Store& store,
                                                                 const correlate::Options& options);

// Parse only (no store): every event of one input, in file order.
Result<IngestStats> parse_file(const std::filesystem::path& path, const InputOptions& options,
                               const parsers::EventSink& sink);

class Ingest {
 public:
  Ingest(store::Store& store, correlate::Correlator& correlator, const Clock& clock)
      : store_(store), correlator_(correlator), clock_(clock) {}

  Status file(const std::filesystem::path& path, const InputOptions& options);
  [[nodiscard]] const IngestStats& stats() const { return stats_; }

 private:
  Status handle(std::int64_t source_id, std::string_view identity, Event&& e);

  store::Store& store_;
  correlate::Correlator& correlator_;
  const Clock& clock_;
  IngestStats stats_;
};

}  // namespace negoheal::pipeline
