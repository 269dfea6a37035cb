#include "parsers/evtx/evtx_file.h"

#include <algorithm>
#include <vector>

#include "parsers/evtx/bytes.h"
#include "parsers/evtx/crc32.h"
#include "parsers/evtx/record_scan.h"

namespace negoheal::parsers::evtx {
namespace {

constexpr std::string_view k_file_signature("ElfFile\0", 8);
constexpr std::string_view k_chunk_signature("ElfChnk\0", 8);

enum class SlotKind { chunk, zeroed_with_records, empty, garbage };

struct Slot {
  std::uint32_t index = 0;
  std::size_t offset = 0;
  std::size_t size = 0;
  SlotKind kind = SlotKind::empty;
  std::uint64_t first_record_id = 0;  // the order chunks are read in
};

Slot classify(std::string_view file, std::uint32_t index, std::size_t offset) {
  Slot s;
  s.index = index;
  s.offset = offset;
  s.size = std::min(k_chunk_size, file.size() - offset);
  const auto chunk = file.substr(offset, s.size);
  if (chunk.substr(0, 8) == k_chunk_signature) {
    s.kind = SlotKind::chunk;
    s.first_record_id = read_le<std::uint64_t>(chunk, 24).value_or(0);
  } else if (chunk.find_first_not_of('\0') == std::string_view::npos) {
    s.kind = SlotKind::empty;
  } else if (const auto first = find_next_record(chunk, k_chunk_header_size, chunk.size());
             chunk.substr(0, 8).find_first_not_of('\0') == std::string_view::npos && first != std::string_view::npos) {
    s.kind = SlotKind::zeroed_with_records;
    s.first_record_id = read_le<std::uint64_t>(chunk, first + 8).value_or(0);
  } else {
    s.kind = SlotKind::garbage;
  }
  return s;
}

}  // namespace

Result<FileHeader> parse_file_header(std::string_view file) {
  if (file.size() < 128) return make_error("not an EVTX file: shorter than a file header");
  if (file.substr(0, 8) != k_file_signature) return make_error("not an EVTX file: no ElfFile signature");
  FileHeader h;
  h.first_chunk = load_le<std::uint64_t>(file, 8);
  h.last_chunk = load_le<std::uint64_t>(file, 16);
  h.next_record_id = load_le<std::uint64_t>(file, 24);
  h.minor_version = load_le<std::uint16_t>(file, 36);
  h.major_version = load_le<std::uint16_t>(file, 38);
  h.chunk_count = load_le<std::uint16_t>(file, 42);
  h.flags = load_le<std::uint32_t>(file, 120);
  h.checksum_ok = crc32(file.substr(0, 120)) == load_le<std::uint32_t>(file, 124);
  return h;
}

Result<EvtxStats> EvtxReader::read(const RecordSink& records, const DiagnosticSink& diagnostics) const {
  const auto report = [&](std::uint64_t offset, const std::string& reason) {
    if (diagnostics) diagnostics(offset, reason);
  };
  auto header = parse_file_header(file_);
  bool check_crc = true;
  if (!header) {
    if (!options_.recover) return header.error();
    report(0, header.error().message + "; scanning for chunks (recover mode)");
  } else {
    check_crc = (header->flags & file_flags::no_crc32) == 0;  // v3.2 NO_CRC32: checksums are not kept
    if (header->major_version != 3) report(0, "unknown format version " + std::to_string(header->major_version));
    if (!header->checksum_ok && check_crc) report(124, "file header CRC mismatch (read anyway)");
  }

  EvtxStats stats;
  std::vector<Slot> slots;
  for (std::size_t off = k_file_header_size; off + k_chunk_header_size <= file_.size(); off += k_chunk_size) {
    slots.push_back(classify(file_, static_cast<std::uint32_t>(slots.size()), off));
  }
  stats.chunks = slots.size();
  // Chunk order is not record order once the ring buffer wrapped; the header's chunk count and
  // first/last chunk numbers are stale in dirty files, so every slot is looked at.
  std::stable_sort(slots.begin(), slots.end(),
                   [](const Slot& a, const Slot& b) { return a.first_record_id < b.first_record_id; });
  for (const auto& s : slots) {
    ChunkInput in{file_.substr(s.offset, s.size), s.offset, s.index, check_crc, false};
    switch (s.kind) {
      case SlotKind::empty:
        break;
      case SlotKind::garbage:
        report(s.offset, "chunk " + std::to_string(s.index) + ": no chunk signature; skipped");
        break;
      case SlotKind::zeroed_with_records:
        if (!options_.recover) {
          report(s.offset, "chunk " + std::to_string(s.index) +
                               ": signature zeroed but records present; skipped (use recover mode)");
          break;
        }
        report(s.offset, "chunk " + std::to_string(s.index) + ": signature zeroed; records recovered");
        in.signature_zeroed = true;
        read_chunk(in, options_, records, diagnostics, stats);
        break;
      case SlotKind::chunk:
        if (s.size < k_chunk_size)
          report(s.offset, "chunk " + std::to_string(s.index) + ": truncated; read as far as it goes");
        read_chunk(in, options_, records, diagnostics, stats);
        break;
    }
  }
  return stats;
}

}  // namespace negoheal::parsers::evtx
