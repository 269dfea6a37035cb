#include "agent/runtime/metrics.h"

#include "agent/http/prometheus.h"

namespace negoheal::runtime {
namespace {

using http::PrometheusText;

void counter(PrometheusText& t, std::string_view name, std::string_view help, std::uint64_t value) {
  t.family(name, "counter", help);
  t.sample(name, value);
}

void gauge(PrometheusText& t, std::string_view name, std::string_view help, std::uint64_t value) {
  t.family(name, "gauge", help);
  t.sample(name, value);
}

void tail_metrics(PrometheusText& t, const pipeline::TailStats& s, const std::vector<pipeline::FileLag>& files) {
  counter(t, "negoheal_lines_read_total", "Complete lines read from tailed files.", s.lines);
  counter(t, "negoheal_bytes_read_total", "Bytes read from tailed files.", s.bytes);
  counter(t, "negoheal_lines_cut_total", "Lines longer than max_line_bytes, cut.", s.lines_cut);
  counter(t, "negoheal_commits_total", "Transactions committing events with their checkpoint.", s.commits);
  counter(t, "negoheal_commit_failures_total", "Transactions that failed and were retried.", s.commit_failures);
  counter(t, "negoheal_read_errors_total", "File reads that failed.", s.read_errors);
  counter(t, "negoheal_files_resumed_total", "Files continued from a saved checkpoint.", s.resumed);
  t.family("negoheal_file_rotations_total", "counter", "Rotations seen, by kind.");
  t.sample("negoheal_file_rotations_total", s.files_released, {{"kind", "released"}});
  t.sample("negoheal_file_rotations_total", s.truncations, {{"kind", "truncated"}});
  t.sample("negoheal_file_rotations_total", s.replacements, {{"kind", "replaced"}});
  gauge(t, "negoheal_files_tailed", "Files being followed now.", files.size());
  t.family("negoheal_checkpoint_lag_bytes", "gauge", "Bytes of a file not read and committed yet.");
  for (const auto& f : files)
    t.sample("negoheal_checkpoint_lag_bytes", f.size - f.offset, {{"path", f.path}});
  t.family("negoheal_checkpoint_offset_bytes", "gauge", "Committed read offset of a file.");
  for (const auto& f : files)
    t.sample("negoheal_checkpoint_offset_bytes", f.offset, {{"path", f.path}});
}

void record_metrics(PrometheusText& t, const pipeline::RecordStats& r) {
  counter(t, "negoheal_events_total", "Events parsed.", r.events);
  counter(t, "negoheal_events_stored_total", "Events stored (not seen before).", r.new_events);
  counter(t, "negoheal_failed_attempts_total", "Distinct failed connection attempts.", r.attempts);
  counter(t, "negoheal_duplicate_lines_total", "Further lines of an attempt already counted.", r.duplicates);
  counter(t, "negoheal_unattributed_total", "Failures no target could be attributed to.", r.unattributed);
  t.family("negoheal_incidents_total", "counter", "Incidents opened and reopened (relapses).");
  t.sample("negoheal_incidents_total", r.incidents_opened, {{"change", "opened"}});
  t.sample("negoheal_incidents_total", r.incidents_reopened, {{"change", "reopened"}});
}

void diagnose_metrics(PrometheusText& t, const diagnose::DiagnoseStats& d) {
  t.family("negoheal_probes_total", "counter", "Probe outcomes.");
  t.sample("negoheal_probes_total", d.probes_started, {{"outcome", "started"}});
  t.sample("negoheal_probes_total", d.probes_finished, {{"outcome", "finished"}});
  t.sample("negoheal_probes_total", d.probe_errors, {{"outcome", "error"}});
  t.sample("negoheal_probes_total", d.reused, {{"outcome", "reused"}});
  t.sample("negoheal_probes_total", d.rate_limited, {{"outcome", "rate_limited"}});
  t.family("negoheal_diagnoses_total", "counter", "Diagnoses by whether the posture explains the failure.");
  t.sample("negoheal_diagnoses_total", d.explained, {{"posture", "explains"}});
  t.sample("negoheal_diagnoses_total", d.escalated, {{"posture", "other"}});
  gauge(t, "negoheal_probes_in_flight", "Probes running now.", d.in_flight);
}

}  // namespace

std::string render_metrics(const MetricsView& v) {
  PrometheusText t;
  t.family("negoheal_start_time_seconds", "gauge", "When the agent started, Unix time.");
  t.sample("negoheal_start_time_seconds", static_cast<double>(v.started_at.time_since_epoch().count()) / 1e6);
  if (v.tail) tail_metrics(t, *v.tail, v.files);
  if (v.records) record_metrics(t, *v.records);
  gauge(t, "negoheal_correlator_targets", "Targets the correlator keeps state for.", v.correlator_targets);
  // Every bounded queue with its depth and its drops. Events are never dropped: the tailer has
  // no queue (it reads what it can commit), so only the probe queue can overflow.
  t.family("negoheal_queue_depth", "gauge", "Items waiting in a bounded queue.");
  t.sample("negoheal_queue_depth", std::uint64_t{v.diagnose ? v.diagnose->queued : 0}, {{"queue", "probe"}});
  t.family("negoheal_drops_total", "counter", "Items a bounded queue refused (each leaves a transition row).");
  t.sample("negoheal_drops_total", std::uint64_t{v.diagnose ? v.diagnose->dropped : 0}, {{"queue", "probe"}});
  if (v.diagnose) diagnose_metrics(t, *v.diagnose);
  t.family("negoheal_config_reloads_total", "counter", "SIGHUP reloads by result.");
  t.sample("negoheal_config_reloads_total", v.reloads_ok, {{"result", "ok"}});
  t.sample("negoheal_config_reloads_total", v.reloads_failed, {{"result", "failed"}});
  return t.text();
}

}  // namespace negoheal::runtime
