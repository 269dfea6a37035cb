#pragma once
// What /metrics shows: counters and gauges of every stage, in the Prometheus text format.
#include <chrono>
#include <string>
#include <vector>

#include "agent/diagnose/diagnoser.h"
#include "agent/pipeline/recorder.h"
#include "agent/pipeline/tail_pipeline.h"

namespace negoheal::runtime {

struct MetricsView {
  TimePoint started_at{};
  const pipeline::TailStats* tail = nullptr;
  const pipeline::RecordStats* records = nullptr;
  std::vector<pipeline::FileLag> files;
  const diagnose::DiagnoseStats* diagnose = nullptr;  // null: probing disabled
  std::size_t correlator_targets = 0;
  std::uint64_t reloads_ok = 0;
  std::uint64_t reloads_failed = 0;
};

std::string render_metrics(const MetricsView& v);

}  // namespace negoheal::runtime
