// Records inside one chunk: iteration, resynchronisation after a bad record, slack recovery.
#include <algorithm>
#include <unordered_set>

#include "parsers/evtx/binxml.h"
#include "parsers/evtx/bytes.h"
#include "parsers/evtx/crc32.h"
#include "parsers/evtx/evtx_file.h"
#include "parsers/evtx/record_scan.h"

namespace negoheal::parsers::evtx {
namespace {

class ChunkReader {
 public:
  ChunkReader(const ChunkInput& in, const EvtxOptions& options, const RecordSink& records,
              const DiagnosticSink& diagnostics, EvtxStats& stats)
      : in_(in),
        chunk_(in.bytes),
        options_(options),
        records_(records),
        diagnostics_(diagnostics),
        stats_(stats),
        parser_(in.bytes) {}

  void run() {
    const std::size_t end = allocated_end();
    if (in_.check_crc && !in_.signature_zeroed) check_crcs(end);
    std::size_t off = k_chunk_header_size;
    if (in_.signature_zeroed) off = std::min(find_next_record(chunk_, off, chunk_.size()), chunk_.size());
    bool resynced = false;
    while (off + k_record_header_size <= end) {
      if (const auto size = record_size_at(chunk_, off)) {
        if (!resynced || in_id_range(off)) {
          emit(off, *size, false);
        } else if (options_.recover) {
          emit(off, *size, true);
        } else {
          ++stats_.records_skipped;
          report(off, "record " + std::to_string(load_le<std::uint64_t>(chunk_, off + 8)) +
                          " is outside the chunk's record range (left from an earlier write); skipped");
        }
        off += *size;
        continue;
      }
      if (chunk_.substr(off, end - off).find_first_not_of('\0') == std::string_view::npos) break;
      // A record whose trailing size copy is wrong may still be whole (a write cut short after
      // the data): keep it when its binary XML reads cleanly.
      const auto claimed = read_le<std::uint32_t>(chunk_, off + 4).value_or(0);
      if (chunk_.substr(off, 4) == k_record_signature && claimed >= k_min_record_size &&
          claimed <= chunk_.size() - off && (!resynced || in_id_range(off))) {
        report(off, "record size copy mismatch; reading the record anyway");
        if (emit(off, claimed, false) && record_size_at(chunk_, off + claimed)) {
          off += claimed;
          continue;
        }
      } else {
        ++stats_.records_skipped;
        report(off, "malformed record (bad signature or size)");
      }
      const auto next = find_next_record(chunk_, off + 1, end);
      if (next == std::string_view::npos) break;
      report(next, "resynchronised at the next well-formed record");
      resynced = true;
      off = next;
    }
    if (options_.recover) recover_slack(off);
  }

 private:
  // After a resynchronisation, only records within the ids the chunk header declares belong here.
  [[nodiscard]] bool in_id_range(std::size_t off) const {
    if (in_.signature_zeroed) return true;
    const auto id = load_le<std::uint64_t>(chunk_, off + 8);
    return id >= read_le<std::uint64_t>(chunk_, 24).value_or(0) &&
           id <= read_le<std::uint64_t>(chunk_, 32).value_or(UINT64_MAX);
  }

  // Records are allocated up to the free-space offset; past it lies slack (old, overwritten data).
  [[nodiscard]] std::size_t allocated_end() const {
    const auto free_space = read_le<std::uint32_t>(chunk_, 48);
    if (in_.signature_zeroed || !free_space || *free_space < k_chunk_header_size || *free_space > chunk_.size()) {
      return chunk_.size();
    }
    return *free_space;
  }

  void check_crcs(std::size_t end) {
    if (chunk_.size() < k_chunk_header_size) return;
    const auto header_crc = crc32(chunk_.substr(128, k_chunk_header_size - 128), crc32(chunk_.substr(0, 120)));
    if (header_crc != read_le<std::uint32_t>(chunk_, 124)) {
      ++stats_.crc_mismatches;
      report(0, "chunk " + std::to_string(in_.index) + ": header CRC mismatch (read anyway)");
    }
    const auto data_crc = crc32(chunk_.substr(k_chunk_header_size, end - k_chunk_header_size));
    if (data_crc != read_le<std::uint32_t>(chunk_, 52)) {
      ++stats_.crc_mismatches;
      report(0, "chunk " + std::to_string(in_.index) + ": records CRC mismatch (read anyway)");
    }
  }

  void recover_slack(std::size_t from) {
    for (auto off = find_next_record(chunk_, from, chunk_.size()); off != std::string_view::npos;) {
      const auto size = *record_size_at(chunk_, off);
      const auto id = load_le<std::uint64_t>(chunk_, off + 8);
      if (seen_.count(id) == 0) {
        emit(off, size, true);
      }
      off = find_next_record(chunk_, off + size, chunk_.size());
    }
  }

  // False when the record was malformed (reported and counted as skipped).
  bool emit(std::size_t off, std::uint32_t size, bool recovered) {
    EvtxRecord r;
    r.record_id = load_le<std::uint64_t>(chunk_, off + 8);
    r.written_time = load_le<std::uint64_t>(chunk_, off + 16);
    r.header_offset = in_.file_offset + off;
    r.chunk_index = in_.index;
    r.recovered = recovered;
    seen_.insert(r.record_id);
    auto doc = parser_.parse_record(off + k_record_header_size, size - k_record_header_size - 4);
    for (const auto& w : parser_.take_warnings())
      report(off, "record " + std::to_string(r.record_id) + ": " + w);
    if (!doc) {
      ++stats_.records_skipped;
      report(off, "record " + std::to_string(r.record_id) + " skipped: " + doc.error().message);
      return false;
    }
    XmlTextWriter writer;
    SystemFieldCollector fields;
    TeeSink tee(writer, fields);
    auto st = render(*doc, tee, options_.limits);
    if (!st) {
      ++stats_.records_skipped;
      report(off, "record " + std::to_string(r.record_id) + " skipped: " + st.error().message);
      return false;
    }
    r.xml = writer.take();
    r.system = fields.take();
    if (r.system.event_record_id) {
      std::uint64_t v = 0;
      const auto& s = *r.system.event_record_id;
      bool digits = !s.empty() && s.size() <= 19;
      for (const char c : s) {
        digits = digits && c >= '0' && c <= '9';
        v = v * 10 + static_cast<std::uint64_t>(c - '0');
      }
      if (digits) r.event_record_id = v;
    }
    ++stats_.records;
    if (recovered) ++stats_.records_recovered;
    records_(std::move(r));
    return true;
  }

  void report(std::size_t chunk_offset, const std::string& reason) {
    if (diagnostics_) diagnostics_(in_.file_offset + chunk_offset, reason);
  }

  const ChunkInput& in_;
  std::string_view chunk_;
  const EvtxOptions& options_;
  const RecordSink& records_;
  const DiagnosticSink& diagnostics_;
  EvtxStats& stats_;
  ChunkParser parser_;
  std::unordered_set<std::uint64_t> seen_;
};

}  // namespace

void read_chunk(const ChunkInput& chunk, const EvtxOptions& options, const RecordSink& records,
                const DiagnosticSink& diagnostics, EvtxStats& stats) {
  ++stats.chunks_read;
  ChunkReader(chunk, options, records, diagnostics, stats).run();
}

}  // namespace negoheal::parsers::evtx
