#include "agent/pipeline/ingest.h"

#include "agent/sources/file_reader.h"
#include "agent/sources/local_time.h"

namespace negoheal::pipeline {
namespace {

constexpr std::size_t k_events_per_transaction = 20000;

struct Prepared {
  sources::FileInfo info;
  std::unique_ptr<parsers::LogParser> parser;
  parsers::TimeAnchor anchor;
};

Result<Prepared> prepare(const std::filesystem::path& path, const InputOptions& options) {
  auto info = sources::inspect_file(path);
  if (!info) return info.error();
  auto format = options.format;
  if (format == parsers::InputFormat::automatic) format = parsers::detect_format(info->head);
  parsers::ParserOptions po;
  po.patterns = options.patterns;
  if (!po.patterns) {
    auto none = parsers::LinePatterns::compile({}, {});
    po.patterns = none.value();
  }
  po.diagnostics = options.diagnostics;
  auto parser = parsers::make_parser(format, po, path.string());
  if (!parser) return make_error(path.string() + ": " + parser.error().message);
  Prepared p{std::move(*info), std::move(*parser), {}};
  p.anchor.reference = options.reference.value_or(p.info.modified);
  p.anchor.local_utc_offset = options.local_offset.value_or(sources::local_utc_offset(p.anchor.reference));
  return p;
}

}  // namespace

Result<IngestStats> parse_file(const std::filesystem::path& path, const InputOptions& options,
                               const parsers::EventSink& sink) {
  auto p = prepare(path, options);
  if (!p) return p.error();
  IngestStats stats;
  stats.files = 1;
  auto read = sources::read_lines(path, {}, [&](std::string_view data, std::uint64_t base) {
    p->parser->feed(data, base, p->anchor, [&](Event&& e) {
      ++stats.events;
      sink(std::move(e));
    });
  });
  if (!read) return read.error();
  stats.bytes = read->bytes;
  stats.long_lines_cut = read->long_lines_cut;
  return stats;
}

Status Ingest::file(const std::filesystem::path& path, const InputOptions& options) {
  auto p = prepare(path, options);
  if (!p) return p.error();
  const std::string identity = p->info.identity;
  auto source = store_.source_id(identity, path.string());
  if (!source) return source.error();
  ++stats_.files;

  auto tx = std::make_unique<store::Transaction>(store_.db());
  if (!tx->begun()) return tx->begun().error();
  std::size_t in_tx = 0;
  Status failure;
  auto read = sources::read_lines(path, {}, [&](std::string_view data, std::uint64_t base) {
    if (!failure) return;
    p->parser->feed(data, base, p->anchor, [&](Event&& e) {
      if (!failure) return;
      if (auto st = handle(*source, identity, std::move(e)); !st) {
        failure = st;
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
  });
  if (!read) return read.error();
  if (!failure) return failure;
  if (auto st = tx->commit(); !st) return st;
  stats_.bytes += read->bytes;
  stats_.long_lines_cut += read->long_lines_cut;
  correlator_.tick(clock_.now());
  return {};
}

Status Ingest::handle(std::int64_t source_id, std::string_view identity, Event&& e) {
  ++stats_.events;
  const std::uint64_t offset = e.offset.value_or(e.record_id.value_or(0));
  auto ins = store_.insert_event(source_id, offset, e);
  if (!ins) return ins.error();
  if (!ins->is_new) {
    ++stats_.known_events;
    return {};
  }
  ++stats_.new_events;
  const auto change = correlator_.observe(e, identity, clock_.now());
  using Kind = correlate::Change::Kind;
  if (change.kind == Kind::ignored) return {};
  const bool duplicate = change.kind == Kind::duplicate;
  if (duplicate) {
    ++stats_.duplicates;
    if (auto st =
            store_.link_event(ins->id, change.incident ? std::optional(change.incident->id) : std::nullopt, false);
        !st) {
      return st;
    }
    return {};
  }
  ++stats_.attempts;
  if (!e.host) ++stats_.unattributed;
  if (!change.incident) return {};
  const Incident& inc = *change.incident;
  if (auto st = store_.upsert_incident(inc); !st) return st;
  if (auto st = store_.link_event(ins->id, inc.id, true); !st) return st;
  if (change.transition) {
    Transition t = *change.transition;
    t.event_id = ins->id;
    if (auto st = store_.add_transition(t); !st) return st;
  }
  if (change.kind == Kind::opened) {
    ++stats_.incidents_opened;
    const TimePoint t = e.timestamp.value_or(clock_.now());
    if (auto st = store_.link_pending(inc.target, change.window_start, t, inc.id); !st) return st;
  }
  return {};
}

}  // namespace negoheal::pipeline
