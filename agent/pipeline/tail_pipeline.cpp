#include "agent/pipeline/tail_pipeline.h"

#include <spdlog/logger.h>

#include <algorithm>

#include "agent/sources/local_time.h"

namespace negoheal::pipeline {
namespace {

// Bytes re-read before a checkpoint at resume: enough for the "connecting to peer" line of any
// attempt still in progress, so a failure right after a restart is still attributed.
constexpr std::size_t k_warm_bytes = 1u << 20;

std::pair<std::uint64_t, std::uint64_t> key_of(const sources::FileId& id) {
  return {id.device, id.index};
}

// Where a checkpointed file is now: under its last name, or renamed within its folder (rotation
// schemes keep rotated files next to the live one: .1, -<date>, ...).
std::optional<std::pair<std::filesystem::path, sources::FileStat>> find_by_id(const sources::Checkpoint& cp) {
  const std::filesystem::path last(cp.path);
  if (auto st = sources::stat_path(last); st && st->id == cp.id) return std::pair{last, *st};
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(last.parent_path(), ec)) {
    std::error_code fec;
    if (!entry.is_regular_file(fec)) continue;
    if (auto st = sources::stat_path(entry.path()); st && st->id == cp.id) return std::pair{entry.path(), *st};
  }
  return std::nullopt;
}

}  // namespace

struct TailPipeline::Tracked {
  std::size_t source = 0;
  std::optional<sources::TailedFile> file;
  std::unique_ptr<parsers::LogParser> parser;
  std::string dedupe_key;               // the correlator's source key
  std::optional<TimePoint> gone_since;  // its name no longer leads to it: drain, then let go
  bool broken = false;                  // a format this tailer cannot read: reported once
  bool seen = false;                    // found by the current scan
  std::uint64_t size = 0;               // at the last read, for the lag metric
};

TailPipeline::TailPipeline(store::Store& store, Recorder& recorder, const Clock& clock, spdlog::logger& log,
                           std::vector<TailSource> sources)
    : store_(store), recorder_(recorder), clock_(clock), log_(log), sources_(std::move(sources)) {}

TailPipeline::~TailPipeline() = default;

Status TailPipeline::start() {
  auto cps = store::Checkpoints::open(store_.db());
  if (!cps) return cps.error();
  checkpoints_.emplace(std::move(*cps));
  started_ = true;
  scan();
  // Checkpoints of files no scan found: rotated (renamed out of the globs) while we were down.
  auto active = checkpoints_->active();
  if (!active) return active.error();
  for (const auto& cp : *active) {
    if (files_.count(key_of(cp.id))) continue;
    if (auto found = sources_.empty() ? std::nullopt : find_by_id(cp)) {
      log_.info("{}: rotated to {} while the agent was down; draining it from its checkpoint", cp.path,
                found->first.string());
      adopt(found->first, found->second, 0, clock_.now());
      continue;
    }
    log_.warn("{}: gone while the agent was down (read up to byte {}); letting it go", cp.path, cp.offset);
    if (auto s = checkpoints_->save(cp, store::Checkpoints::State::rotated, clock_.now()); !s) return s.error();
  }
  return {};
}

std::vector<std::filesystem::path> TailPipeline::folders() const {
  std::vector<std::filesystem::path> out;
  for (const auto& s : sources_) {
    for (const auto& g : s.globs) {
      if (std::find(out.begin(), out.end(), g.dir) == out.end()) out.push_back(g.dir);
    }
  }
  return out;
}

void TailPipeline::scan() {
  if (!started_) return;
  for (auto& [key, t] : files_)
    t->seen = false;
  for (std::size_t i = 0; i < sources_.size(); ++i) {
    for (const auto& glob : sources_[i].globs) {
      for (const auto& path : sources::expand_glob(glob)) {
        auto st = sources::stat_path(path);
        if (!st) continue;  // vanished between listing and stat
        auto it = files_.find(key_of(st->id));
        if (it == files_.end()) {
          adopt(path, *st, i, std::nullopt);
          continue;
        }
        Tracked& t = *it->second;
        if (t.seen) continue;  // matched by an earlier glob
        t.seen = true;
        if (t.file->checkpoint().path != path.string()) {
          log_.info("{}: renamed to {}", t.file->checkpoint().path, path.string());
          t.file->set_path(path.string());
        }
        t.gone_since.reset();
      }
    }
  }
  for (auto& [key, t] : files_) {
    if (!t->seen && !t->gone_since) {
      log_.info("{}: rotated away or deleted; draining it", t->file->checkpoint().path);
      t->gone_since = clock_.now();
    }
  }
}

void TailPipeline::adopt(const std::filesystem::path& path, const sources::FileStat& st, std::size_t source_index,
                         std::optional<TimePoint> gone_since) {
  auto file = sources::SharedFile::open(path);
  if (!file) {
    log_.warn("{}", file.error().message);
    return;
  }
  auto opened = file->stat();
  if (!opened || !(opened->id == st.id)) return;  // replaced between stat and open: the next scan sees it
  auto t = resume(*file, st, path, source_index);
  if (!t) {
    log_.error("{}: {}", path.string(), t.error().message);
    return;
  }
  (*t)->gone_since = gone_since;
  (*t)->seen = !gone_since;
  ++stats_.files_opened;
  files_[key_of(st.id)] = std::move(*t);
}

Result<std::unique_ptr<TailPipeline::Tracked>> TailPipeline::resume(sources::SharedFile& file,
                                                                    const sources::FileStat& st,
                                                                    const std::filesystem::path& path,
                                                                    std::size_t source_index) {
  auto t = std::make_unique<Tracked>();
  t->source = source_index;
  auto saved = checkpoints_->active_for(st.id);
  if (!saved) return saved.error();
  for (const auto& cp : *saved) {
    auto same = sources::matches_checkpoint(file, cp);
    if (!same) return same.error();
    if (*same) {
      t->file.emplace(std::move(file), cp, sources_[source_index].tail);
      t->file->set_path(path.string());
      t->dedupe_key = "source#" + std::to_string(cp.source_id);
      ++stats_.resumed;
      log_.info("{}: resuming at byte {}", path.string(), cp.offset);
      if (ensure_parser(*t)) warm(*t);
      return t;
    }
    // Another file now holds this identity (the inode was reused while we were down).
    log_.info("{}: not the file checkpointed under this identity any more; reading it from the start", path.string());
    if (auto s = checkpoints_->save(cp, store::Checkpoints::State::rotated, clock_.now()); !s) return s.error();
  }
  t->file.emplace(std::move(file), sources::Checkpoint{}, sources_[source_index].tail);
  if (auto s = new_generation(*t, path, st.id); !s) return s.error();
  return t;
}

Status TailPipeline::new_generation(Tracked& t, const std::filesystem::path& path, const sources::FileId& id) {
  // A generation is unique (identity + first-seen time): two files that share their first bytes
  // never share offsets, so nothing read from one can hide an event of the other.
  const std::string identity = "tail:" + std::to_string(id.device) + ":" + std::to_string(id.index) + ":" +
                               std::to_string(store::to_micros(clock_.now()));
  auto source_id = store_.source_id(identity, path.string());
  if (!source_id) return source_id.error();
  sources::Checkpoint cp;
  cp.source_id = *source_id;
  cp.path = path.string();
  cp.id = id;
  t.file->rewind(cp);
  t.dedupe_key = "source#" + std::to_string(cp.source_id);
  t.parser.reset();
  t.broken = false;
  return {};
}

Status TailPipeline::ensure_parser(Tracked& t) {
  if (t.parser) return {};
  if (t.broken) return make_error("unreadable format");
  const TailSource& src = sources_[t.source];
  auto format = src.format;
  if (format == parsers::InputFormat::automatic) {
    // Decide from the first bytes once there are some; an empty file waits.
    auto head = t.file->head(sources::k_head_bytes);
    if (!head) return head.error();
    if (head->empty()) return make_error("empty");
    format = parsers::detect_format(*head);
    if (format == parsers::InputFormat::evtx) {
      t.broken = true;
      log_.error("{}: an .evtx file cannot be tailed; list it in an evtx source or replay it",
                 t.file->checkpoint().path);
      return make_error("evtx");
    }
  }
  parsers::ParserOptions po;
  po.patterns = src.patterns;
  auto parser = parsers::make_parser(format, po, t.file->checkpoint().path);
  if (!parser) {
    t.broken = true;
    log_.error("{}: {}", t.file->checkpoint().path, parser.error().message);
    return parser.error();
  }
  t.parser = std::move(*parser);
  return {};
}

void TailPipeline::warm(Tracked& t) {
  const auto a = anchor(t);
  const parsers::EventSink discard = [](Event&&) {};
  auto st = t.file->replay_before(
      k_warm_bytes, [&](std::string_view data, std::uint64_t base) { t.parser->feed(data, base, a, discard); });
  if (!st)
    log_.warn("{}: cannot re-read the context before the checkpoint: {}", t.file->checkpoint().path,
              st.error().message);
}

parsers::TimeAnchor TailPipeline::anchor(const Tracked& t) const {
  parsers::TimeAnchor a;
  a.reference = clock_.now();  // tailing: the bytes were written just now
  const auto& off = sources_[t.source].local_offset;
  a.local_utc_offset = off ? *off : sources::local_utc_offset(a.reference);
  return a;
}

bool TailPipeline::read_once(Tracked& t, bool final, bool& drained) {
  drained = false;
  if (t.broken) {
    drained = true;
    return false;
  }
  if (!t.parser && !ensure_parser(t)) {
    drained = true;  // nothing readable yet
    return false;
  }
  const sources::Checkpoint before = t.file->checkpoint();
  const auto a = anchor(t);
  const std::int64_t source_id = before.source_id;
  std::vector<correlate::Change> changes;
  Status status;  // ok until something fails
  const parsers::EventSink on_event = [&](Event&& e) {
    if (!status) return;
    auto change = recorder_.record(source_id, t.dedupe_key, std::move(e));
    if (!change) {
      status = change.error();
      return;
    }
    using Kind = correlate::Change::Kind;
    if (change->kind == Kind::opened || change->kind == Kind::reopened || change->kind == Kind::attached)
      changes.push_back(std::move(*change));
  };

  store::Transaction tx(store_.db());
  if (!tx.begun()) {
    log_.error("store: {}", tx.begun().error().message);
    ++stats_.commit_failures;
    return false;
  }
  std::uint64_t lines = 0;
  auto r = t.file->read(
      [&](std::string_view data, std::uint64_t base) {
        lines += static_cast<std::uint64_t>(std::count(data.begin(), data.end(), '\n'));
        t.parser->feed(data, base, a, on_event);
      },
      final);
  if (!r) {
    ++stats_.read_errors;
    log_.warn("{}: {}", before.path, r.error().message);
    drained = true;
    return false;
  }
  using Verdict = sources::TailedFile::Verdict;
  if (r->verdict != Verdict::ok) {
    if (r->verdict == Verdict::truncated) {
      ++stats_.truncations;
      log_.info("{}: truncated (size below byte {}); reading it again from the start", before.path, before.offset);
    } else {
      ++stats_.replacements;
      log_.info("{}: content before byte {} changed; reading it as a new file", before.path, before.offset);
    }
    if (auto s = checkpoints_->save(before, store::Checkpoints::State::rotated, clock_.now()); !s) status = s;
    if (status) {
      if (auto s = new_generation(t, before.path, before.id); !s) status = s;
    }
    if (status) status = tx.commit();
    if (!status) {
      ++stats_.commit_failures;
      log_.error("{}: {}", before.path, status.error().message);
      t.file->rewind(before);
      return false;
    }
    return true;  // read the new generation right away
  }
  const auto& after = t.file->checkpoint();
  const bool moved = after.offset != before.offset || after.encoding != before.encoding ||
                     after.skipping != before.skipping || after.head_len != before.head_len;
  if (status && moved) {
    status = checkpoints_->save(t.file->checkpoint(), store::Checkpoints::State::active, clock_.now());
  }
  if (status) status = tx.commit();
  if (!status) {
    // Nothing of this chunk counts: read it again with a fresh parser and correlator.
    ++stats_.commit_failures;
    log_.error("{}: not committed, will retry: {}", before.path, status.error().message);
    stats_.failing = true;
    stats_.last_error = status.error().message;
    t.file->rewind(before);
    t.parser.reset();
    if (ensure_parser(t)) warm(t);
    if (on_rollback_) on_rollback_();
    return false;
  }
  ++stats_.commits;
  stats_.failing = false;
  stats_.bytes += r->bytes;
  stats_.lines += lines;
  stats_.lines_cut += r->lines_cut;
  if (auto st = t.file->stat(); st) t.size = st->size;
  for (const auto& c : changes) {
    if (on_change_) on_change_(c);
  }
  drained = !r->more && r->bytes == 0;
  return r->more;
}

bool TailPipeline::pump() {
  bool more = false;
  const TimePoint now = clock_.now();
  for (auto it = files_.begin(); it != files_.end();) {
    Tracked& t = *it->second;
    bool drained = false;
    more = read_once(t, false, drained) || more;
    auto st = t.file->stat();
    const bool deleted = st && st->deleted;
    if (deleted && !t.gone_since) t.gone_since = now;
    const auto& rotate_wait = sources_[t.source].rotate_wait;
    if (t.gone_since && drained && (deleted || now - *t.gone_since >= rotate_wait)) {
      // Its writer moved on: hand out a last line without newline too, then let it go.
      bool ignored = false;
      while (read_once(t, true, ignored)) {
      }
      if (auto s = checkpoints_->save(t.file->checkpoint(), store::Checkpoints::State::rotated, now); !s) {
        log_.error("{}: {}", t.file->checkpoint().path, s.error().message);
        ++it;
        continue;
      }
      log_.info("{}: drained to byte {}; let go", t.file->checkpoint().path, t.file->checkpoint().offset);
      ++stats_.files_released;
      it = files_.erase(it);
      continue;
    }
    ++it;
  }
  return more;
}

void TailPipeline::stop() {
  files_.clear();
  started_ = false;
}

std::vector<FileLag> TailPipeline::lag() const {
  std::vector<FileLag> out;
  for (const auto& [key, t] : files_) {
    const auto& cp = t->file->checkpoint();
    out.push_back({cp.path, cp.offset, std::max(t->size, cp.offset)});
  }
  return out;
}

}  // namespace negoheal::pipeline
