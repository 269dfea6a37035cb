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
#include "agent/pipeline/recorder.h"
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

struct IngestStats : RecordStats {
  std::uint64_t files = 0;
  std::uint64_t bytes = 0;
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
      : store_(store), recorder_(store, correlator, clock), clock_(clock) {}

  Status file(const std::filesystem::path& path, const InputOptions& options);
  [[nodiscard]] IngestStats stats() const {
    IngestStats out = stats_;
    static_cast<RecordStats&>(out) = recorder_.stats();
    return out;
  }

 private:
  store::Store& store_;
  Recorder recorder_;
  const Clock& clock_;
  IngestStats stats_;
};

}  // namespace negoheal::pipeline
