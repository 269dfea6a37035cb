#include "agent/pipeline/ingest.h"

#include "agent/sources/file_reader.h"
#include "agent/sources/local_time.h"
#include "parsers/evtx/to_event.h"

namespace negoheal::pipeline {
namespace {

constexpr std::size_t k_events_per_transaction = 20000;

struct ReadSummary {
  std::string identity;
  std::uint64_t bytes = 0;
  std::uint64_t long_lines_cut = 0;
};

// Every event of one input, in file order, whatever its format. `on_start` sees the input's
// identity before the first event (the store needs it to key the events).
Result<ReadSummary> read_events(const std::filesystem::path& path, const InputOptions& options,
                                const std::function<Status(const std::string& identity)>& on_start,
                                const parsers::EventSink& sink) {
  auto info = sources::inspect_file(path);
  if (!info) return info.error();
  ReadSummary summary{info->identity};
  if (on_start) {
    if (auto st = on_start(info->identity); !st) return st.error();
  }
  auto format = options.format;
  if (format == parsers::InputFormat::automatic) format = parsers::detect_format(info->head);

  if (format == parsers::InputFormat::evtx) {
    // EVTX chunks are ordered by their record ids, so the reader needs the whole file.
    auto bytes = sources::read_whole(path);
    if (!bytes) return bytes.error();
    parsers::evtx::EvtxOptions eo;
    eo.file_path = path.string();
    auto r = parsers::evtx::read_evtx(*bytes, eo, sink, options.diagnostics);
    if (!r) return make_error(path.string() + ": " + r.error().message);
    summary.bytes = bytes->size();
    return summary;
  }

  parsers::ParserOptions po;
  po.patterns = options.patterns ? options.patterns : parsers::LinePatterns::compile({}, {}).value();
  po.diagnostics = options.diagnostics;
  auto parser = parsers::make_parser(format, po, path.string());
  if (!parser) return make_error(path.string() + ": " + parser.error().message);
  parsers::TimeAnchor anchor;
  anchor.reference = options.reference.value_or(info->modified);
  anchor.local_utc_offset = options.local_offset.value_or(sources::local_utc_offset(anchor.reference));
  auto read = sources::read_lines(
      path, {}, [&](std::string_view data, std::uint64_t base) { (*parser)->feed(data, base, anchor, sink); });
  if (!read) return read.error();
  summary.bytes = read->bytes;
  summary.long_lines_cut = read->long_lines_cut;
  return summary;
}

}  // namespace

Result<std::unique_ptr<correlate::Correlator>> resume_correlator(store::Store& store,
                                                                 const correlate::Options& options) {
  auto last_id = store.max_incident_id();
  if (!last_id) return last_id.error();
  auto open = store.open_incidents();
  if (!open) return open.error();
  auto c = std::make_unique<correlate::Correlator>(options, *last_id);
  c->restore(*open);
  return c;
}

Result<IngestStats> parse_file(const std::filesystem::path& path, const InputOptions& options,
                               const parsers::EventSink& sink) {
  IngestStats stats;
  stats.files = 1;
  auto read = read_events(path, options, {}, [&](Event&& e) {
    ++stats.events;
    sink(std::move(e));
  });
  if (!read) return read.error();
  stats.bytes = read->bytes;
  stats.long_lines_cut = read->long_lines_cut;
  return stats;
}

Status Ingest::file(const std::filesystem::path& path, const InputOptions& options) {
  std::int64_t source = 0;
  std::string identity;
  std::unique_ptr<store::Transaction> tx;
  std::size_t in_tx = 0;
  Status failure;
  auto start = [&](const std::string& id) -> Status {
    identity = id;
    auto s = store_.source_id(id, path.string());
    if (!s) return s.error();
    source = *s;
    tx = std::make_unique<store::Transaction>(store_.db());
    return tx->begun();
  };
  auto read = read_events(path, options, start, [&](Event&& e) {
    if (!failure) return;
    if (auto r = recorder_.record(source, identity, std::move(e)); !r) {
      failure = r.error();
      return;
    }
    if (++in_tx >= k_events_per_transaction) {
      if (auto st = tx->commit(); !st) {
        failure = st;
        return;
      }
      tx = std::make_unique<store::Transaction>(store_.db());
      if (!tx->begun()) failure = tx->begun();
      in_tx = 0;
    }
  });
  if (!read) return read.error();
  if (!failure) return failure;
  if (auto st = tx->commit(); !st) return st;
  ++stats_.files;
  stats_.bytes += read->bytes;
  stats_.long_lines_cut += read->long_lines_cut;
  recorder_.correlator().tick(clock_.now());
  return {};
}

}  // namespace negoheal::pipeline
