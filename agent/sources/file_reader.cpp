#include "agent/sources/file_reader.h"

#include "agent/sources/text_lines.h"

#include <cstdio>
#include <cstring>
#include <fstream>
#include <system_error>
#include <vector>

namespace negoheal::sources {
namespace fs = std::filesystem;

namespace {

constexpr std::size_t k_fingerprint_bytes = 4096;

// std::filebuf takes a filesystem::path (wide on Windows) and reads large requests directly.
std::size_t read_some(std::filebuf& f, char* dst, std::size_t n) {
  return static_cast<std::size_t>(f.sgetn(dst, static_cast<std::streamsize>(n)));
}

// UTF-16LE file (after its BOM): each line is transcoded and handed out alone with the offset of
// its first code unit in the file. Unpaired surrogates become U+FFFD.
Result<ReadStats> read_utf16le(std::filebuf& f, const ReadOptions& options, const ChunkSink& sink) {
  ReadStats stats;
  std::vector<char> buf(options.chunk_size & ~std::size_t{1});
  std::string line;
  std::uint64_t offset = 2;  // after the BOM
  std::uint64_t line_start = 2;
  std::uint32_t pending_high = 0;
  bool cut = false;
  unsigned char carry = 0;
  bool has_carry = false;
  while (true) {
    std::size_t n = read_some(f, buf.data(), buf.size());
    if (n == 0) break;
    stats.bytes += n;
    std::size_t i = 0;
    auto unit_at = [&](std::size_t& pos, std::uint16_t& unit) {
      if (has_carry) {
        unit = static_cast<std::uint16_t>(carry | (static_cast<unsigned char>(buf[pos]) << 8));
        has_carry = false;
        pos += 1;
        return true;
      }
      if (pos + 1 >= n) {
        if (pos < n) {
          carry = static_cast<unsigned char>(buf[pos]);
          has_carry = true;
        }
        pos = n;
        return false;
      }
      unit = static_cast<std::uint16_t>(static_cast<unsigned char>(buf[pos]) |
                                        (static_cast<unsigned char>(buf[pos + 1]) << 8));
      pos += 2;
      return true;
    };
    std::uint16_t unit = 0;
    while (i < n && unit_at(i, unit)) {
      offset += 2;
      if (unit == '\n') {
        sink(line, line_start);
        line.clear();
        cut = false;
        line_start = offset;
        continue;
      }
      if (cut) continue;
      std::uint32_t cp = unit;
      if (unit >= 0xD800 && unit <= 0xDBFF) {
        pending_high = unit;
        continue;
      }
      if (unit >= 0xDC00 && unit <= 0xDFFF) {
        cp = pending_high ? 0x10000 + ((pending_high - 0xD800) << 10) + (unit - 0xDC00) : 0xFFFD;
        pending_high = 0;
      } else if (pending_high) {
        append_utf8(line, 0xFFFD);
        pending_high = 0;
      }
      append_utf8(line, cp);
      if (line.size() >= options.max_line) {
        cut = true;
        ++stats.long_lines_cut;
      }
    }
  }
  if (!line.empty()) sink(line, line_start);
  return stats;
}

}  // namespace

std::string content_fingerprint(std::string_view head) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : head.substr(0, k_fingerprint_bytes)) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

Result<std::string> read_whole(const fs::path& path) {
  std::filebuf f;
  if (!f.open(path, std::ios::in | std::ios::binary)) return make_error(path.string() + ": cannot open for reading");
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec) return make_error(path.string() + ": cannot read its size: " + ec.message());
  std::string data(size, '\0');
  data.resize(read_some(f, data.data(), data.size()));
  return data;
}

Result<FileInfo> inspect_file(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return make_error(path.string() + ": not a readable regular file");
  std::filebuf f;
  if (!f.open(path, std::ios::in | std::ios::binary)) return make_error(path.string() + ": cannot open for reading");
  FileInfo info;
  info.size = fs::file_size(path, ec);
  const auto mtime = fs::last_write_time(path, ec);
  if (!ec) {
    const auto sys = std::chrono::file_clock::to_sys(mtime);
    info.modified = std::chrono::time_point_cast<std::chrono::microseconds>(sys);
  }
  info.head.resize(k_fingerprint_bytes);
  info.head.resize(read_some(f, info.head.data(), info.head.size()));
  info.identity = content_fingerprint(info.head);
  return info;
}

Result<ReadStats> read_lines(const fs::path& path, const ReadOptions& options, const ChunkSink& sink) {
  std::filebuf f;
  if (!f.open(path, std::ios::in | std::ios::binary)) return make_error(path.string() + ": cannot open for reading");
  char bom[2] = {0, 0};
  const std::size_t got = read_some(f, bom, 2);
  if (got == 2 && static_cast<unsigned char>(bom[0]) == 0xFF && static_cast<unsigned char>(bom[1]) == 0xFE) {
    return read_utf16le(f, options, sink);
  }
  f.pubseekpos(0);

  ReadStats stats;
  std::vector<char> buf(options.chunk_size + 1);
  std::size_t filled = 0;        // bytes in buf
  std::uint64_t buf_offset = 0;  // file offset of buf[0]
  bool skipping = false;         // inside the remainder of an over-long line
  while (true) {
    const std::size_t n = read_some(f, buf.data() + filled, options.chunk_size - filled);
    stats.bytes += n;
    const bool eof = n == 0;
    filled += n;
    std::size_t start = 0;
    if (skipping) {
      const void* nl = std::memchr(buf.data(), '\n', filled);
      if (!nl) {
        buf_offset += filled;
        filled = 0;
        if (eof) break;
        continue;
      }
      start = static_cast<std::size_t>(static_cast<const char*>(nl) - buf.data()) + 1;
      skipping = false;
    }
    // Hand out everything up to the last newline; keep the partial line for the next read.
    std::size_t end = filled;
    if (!eof) {
      while (end > start && buf[end - 1] != '\n')
        --end;
    }
    if (end > start) {
      stats.long_lines_cut +=
          emit_cut_lines(std::string_view(buf.data() + start, end - start), buf_offset + start, options.max_line, sink);
    }
    if (eof) break;
    if (end == start && filled - start >= options.chunk_size - 1) {
      // No newline in a full buffer: hand out the first max_line bytes as the line, skip the rest.
      sink(std::string_view(buf.data() + start, std::min(options.max_line, filled - start)), buf_offset + start);
      ++stats.long_lines_cut;
      skipping = true;
      buf_offset += filled;
      filled = 0;
      continue;
    }
    std::memmove(buf.data(), buf.data() + end, filled - end);
    buf_offset += end;
    filled -= end;
  }
  return stats;
}

}  // namespace negoheal::sources
