#pragma once
// EVTX files: the 4 KiB file header, 64 KiB chunks, the records in them. Pure: bytes in,
// records and diagnostics out. A malformed record or chunk is reported (file offset and reason)
// and skipped; only an unreadable file header is an error, and only outside recover mode.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "parsers/evtx/render_xml.h"
#include "parsers/evtx/system_fields.h"

namespace negoheal::parsers::evtx {

inline constexpr std::size_t k_file_header_size = 4096;
inline constexpr std::size_t k_chunk_size = 65536;
inline constexpr std::size_t k_chunk_header_size = 512;

namespace file_flags {
inline constexpr std::uint32_t dirty = 0x1, full = 0x2, no_crc32 = 0x4;
}

struct FileHeader {
  std::uint64_t first_chunk = 0;
  std::uint64_t last_chunk = 0;
  std::uint64_t next_record_id = 0;
  std::uint16_t minor_version = 0;
  std::uint16_t major_version = 0;
  std::uint16_t chunk_count = 0;  // often stale in dirty files: every chunk in the file is read
  std::uint32_t flags = 0;
  bool checksum_ok = false;
};

Result<FileHeader> parse_file_header(std::string_view file);

struct EvtxRecord {
  std::uint64_t record_id = 0;                   // from the record header
  std::optional<std::uint64_t> event_record_id;  // System/EventRecordID (differs in exported files)
  std::uint64_t header_offset = 0;               // file offset of the record's "**\0\0"
  std::uint64_t written_time = 0;                // FILETIME from the record header
  std::uint32_t chunk_index = 0;
  bool recovered = false;  // found in a chunk's slack space (recover mode)
  std::string xml;         // one <Event> element
  SystemFields system;
};

using RecordSink = std::function<void(EvtxRecord&&)>;
using DiagnosticSink = std::function<void(std::uint64_t offset, std::string_view reason)>;

struct EvtxOptions {
  // Also read chunks whose signature was zeroed and records left in chunk slack space (their
  // ids not seen in the chunk): what forensics wants, what a log agent usually does not.
  bool recover = false;
  RenderLimits limits;
  std::string file_path;  // log.file.path of the events made from the records (may be empty)
};

struct EvtxStats {
  std::uint64_t chunks = 0;  // chunk slots in the file
  std::uint64_t chunks_read = 0;
  std::uint64_t records = 0;  // delivered, recovered ones included
  std::uint64_t records_recovered = 0;
  std::uint64_t records_skipped = 0;  // malformed: reported and skipped
  std::uint64_t crc_mismatches = 0;   // chunk header or data checksums that did not match
};

// Reads one chunk (up to 64 KiB; a shorter, truncated one is read as far as it goes).
// `file_offset` positions diagnostics and record offsets; `check_crc` is false for NO_CRC32 files.
struct ChunkInput {
  std::string_view bytes;
  std::uint64_t file_offset = 0;
  std::uint32_t index = 0;
  bool check_crc = true;
  bool signature_zeroed = false;  // read in recover mode: header fields are not trusted
};
void read_chunk(const ChunkInput& chunk, const EvtxOptions& options, const RecordSink& records,
                const DiagnosticSink& diagnostics, EvtxStats& stats);

// A whole file in memory. Chunks are read in record-id order, so a wrapped ring buffer comes
// out oldest first.
class EvtxReader {
 public:
  EvtxReader(std::string_view file, EvtxOptions options) : file_(file), options_(std::move(options)) {}
  Result<EvtxStats> read(const RecordSink& records, const DiagnosticSink& diagnostics) const;

 private:
  std::string_view file_;
  EvtxOptions options_;
};

}  // namespace negoheal::parsers::evtx
