#include "agent/sources/tail/tailed_file.h"

#include <algorithm>

#include "agent/sources/file_reader.h"

namespace negoheal::sources {

std::string_view to_string(Encoding e) {
  switch (e) {
    case Encoding::utf8:
      return "utf-8";
    case Encoding::utf16le:
      return "utf-16le";
    case Encoding::undecided:
      break;
  }
  return "undecided";
}

Encoding parse_encoding(std::string_view s) {
  if (s == "utf-8") return Encoding::utf8;
  if (s == "utf-16le") return Encoding::utf16le;
  return Encoding::undecided;
}

TailedFile::TailedFile(SharedFile file, Checkpoint cp, TailOptions options)
    : file_(std::move(file)), cp_(std::move(cp)), options_(options) {
  options_.read_chunk = std::max(options_.read_chunk, 2 * options_.max_line + 2);
}

Result<bool> TailedFile::decide_encoding(std::uint64_t size, bool final) {
  if (cp_.encoding != Encoding::undecided) return true;
  // One byte cannot tell UTF-8 from a UTF-16 BOM yet. Fix: unless the file is drained for the last
  // time (`final`): a one-byte file is then UTF-8, or its byte would never be handed out.
  if (size == 0 || (size < 2 && !final)) return false;
  char bom[2] = {};
  auto got = file_.read_at(0, bom, 2);
  if (!got) return got.error();
  if (*got == 0 || (*got < 2 && !final)) return false;
  if (*got == 2 && static_cast<unsigned char>(bom[0]) == 0xFF && static_cast<unsigned char>(bom[1]) == 0xFE) {
    cp_.encoding = Encoding::utf16le;
    cp_.offset = std::max<std::uint64_t>(cp_.offset, 2);  // the BOM is not a line
  } else {
    cp_.encoding = Encoding::utf8;  // a UTF-8 BOM is skipped by the parsers
  }
  return true;
}

Result<std::string> TailedFile::head(std::size_t n) const {
  std::string out(n, '\0');
  auto got = file_.read_at(0, out.data(), out.size());
  if (!got) return got.error();
  out.resize(*got);
  return out;
}

Status TailedFile::refresh_head() {
  const auto len = std::min<std::uint64_t>(cp_.offset, k_head_bytes);
  if (len <= cp_.head_len) return {};
  std::string head(len, '\0');
  auto got = file_.read_at(0, head.data(), head.size());
  if (!got) return got.error();
  head.resize(*got);
  cp_.head_len = head.size();
  cp_.head_hash = content_fingerprint(head);
  return {};
}

Result<TailedFile::ReadResult> TailedFile::read(const ChunkSink& sink, bool final) {
  ReadResult r;
  auto st = file_.stat();
  if (!st) return st.error();
  const std::uint64_t size = st->size;
  if (size < cp_.offset) {
    r.verdict = Verdict::truncated;
    return r;
  }
  auto decided = decide_encoding(size, final);
  if (!decided) return decided.error();
  if (!*decided || size == cp_.offset) return r;

  const std::uint64_t start = cp_.offset - cp_.marker_len;
  const std::size_t want =
      static_cast<std::size_t>(std::min<std::uint64_t>(size - start, cp_.marker_len + options_.read_chunk));
  buf_.resize(want);
  auto got = file_.read_at(start, buf_.data(), want);
  if (!got) return got.error();
  if (*got < cp_.marker_len) {
    r.verdict = Verdict::truncated;
    return r;
  }
  const std::string_view all(buf_.data(), *got);
  if (cp_.marker_len > 0 && content_fingerprint(all.substr(0, cp_.marker_len)) != cp_.marker_hash) {
    r.verdict = Verdict::replaced;
    return r;
  }
  const std::string_view data = all.substr(cp_.marker_len);
  const bool at_eof = start + *got >= size;
  const bool last = final && at_eof;
  const std::uint64_t consumed = cp_.encoding == Encoding::utf16le ? hand_out_utf16(data, cp_.offset, last, sink, r)
                                                                   : hand_out_utf8(data, cp_.offset, last, sink, r);
  cp_.offset += consumed;
  r.bytes = consumed;
  r.more = !at_eof && consumed > 0;
  // The new marker: the bytes just before the new offset that this read saw.
  const std::uint64_t end_in_buf = cp_.offset - start;
  cp_.marker_len = std::min<std::uint64_t>(k_marker_bytes, end_in_buf);
  cp_.marker_hash = content_fingerprint(all.substr(end_in_buf - cp_.marker_len, cp_.marker_len));
  if (cp_.head_len < k_head_bytes) {
    if (auto h = refresh_head(); !h) return h.error();
  }
  return r;
}

std::uint64_t TailedFile::hand_out_utf8(std::string_view data, std::uint64_t base, bool final, const ChunkSink& sink,
                                        ReadResult& r) {
  std::size_t pos = 0;
  if (cp_.skipping) {
    const auto nl = data.find('\n');
    if (nl == std::string_view::npos) return data.size();
    pos = nl + 1;
    cp_.skipping = false;
  }
  const auto last = data.rfind('\n');
  if (last != std::string_view::npos && last >= pos) {
    r.lines_cut += emit_cut_lines(data.substr(pos, last + 1 - pos), base + pos, options_.max_line, sink);
    pos = last + 1;
  }
  const std::size_t rest = data.size() - pos;
  // Fix: `>`, not `>=`. A line of exactly max_line bytes is not cut when whole (emit_cut_lines), so
  // a partial one of that length waits for its newline too instead of depending on read timing.
  if (rest > options_.max_line) {
    // A partial line already longer than the cap: hand out its head now, skip the rest of it.
    sink(data.substr(pos, options_.max_line), base + pos);
    ++r.lines_cut;
    cp_.skipping = true;
    return data.size();
  }
  if (final && rest > 0) {
    sink(data.substr(pos), base + pos);
    return data.size();
  }
  return pos;
}

std::uint64_t TailedFile::hand_out_utf16(std::string_view data, std::uint64_t base, bool final, const ChunkSink& sink,
                                         ReadResult& r) {
  const std::size_t max_bytes = 2 * options_.max_line;
  const std::size_t even = data.size() & ~std::size_t{1};
  auto emit = [&](std::size_t from, std::size_t to) {  // units [from, to), newline excluded
    line_.clear();
    if (to - from > max_bytes) {
      to = from + max_bytes;
      ++r.lines_cut;
    }
    append_utf16le_as_utf8(line_, data.substr(from, to - from));
    line_.push_back('\n');
    sink(line_, base + from);
  };
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < even; i += 2) {
    if (data[i] != '\n' || data[i + 1] != '\0') continue;
    if (cp_.skipping) {
      cp_.skipping = false;
    } else {
      emit(line_start, i);
    }
    line_start = i + 2;
  }
  const std::size_t rest = even - line_start;
  if (cp_.skipping) return even;
  if (rest > max_bytes) {  // fix: `>`, as for UTF-8 (a line of exactly max_line units is not cut)
    emit(line_start, line_start + max_bytes + 2);  // counted as cut by emit
    cp_.skipping = true;
    return even;
  }
  if (final && rest > 0) {
    emit(line_start, even);
    return even;
  }
  return line_start;
}

Result<bool> matches_checkpoint(const SharedFile& file, const Checkpoint& cp) {
  auto st = file.stat();
  if (!st) return st.error();
  if (st->size < cp.offset || st->size < cp.head_len) return false;
  auto hash_at = [&](std::uint64_t at, std::uint64_t len) -> Result<std::string> {
    std::string bytes(len, '\0');
    auto got = file.read_at(at, bytes.data(), bytes.size());
    if (!got) return got.error();
    bytes.resize(*got);
    return content_fingerprint(bytes);
  };
  if (cp.head_len > 0) {
    auto h = hash_at(0, cp.head_len);
    if (!h) return h.error();
    if (*h != cp.head_hash) return false;
  }
  if (cp.marker_len > 0) {
    auto m = hash_at(cp.offset - cp.marker_len, cp.marker_len);
    if (!m) return m.error();
    if (*m != cp.marker_hash) return false;
  }
  return true;
}

Status TailedFile::replay_before(std::size_t n, const ChunkSink& sink) {
  const std::uint64_t first = cp_.encoding == Encoding::utf16le ? 2 : 0;
  if (cp_.offset <= first) return {};
  std::uint64_t from = cp_.offset - std::min<std::uint64_t>(n, cp_.offset - first);
  if (cp_.encoding == Encoding::utf16le && (from - first) % 2 != 0) ++from;
  // Fix: read one unit before the window too. If it is a newline, the window starts at a line start
  // and its first line is complete; the skip below then drops just that unit, not the whole line.
  const bool mid = from > first;
  if (mid) from -= cp_.encoding == Encoding::utf16le ? 2 : 1;
  std::vector<char> bytes(cp_.offset - from);
  auto got = file_.read_at(from, bytes.data(), bytes.size());
  if (!got) return got.error();
  std::string_view data(bytes.data(), *got);
  // Start at a line start: the first bytes of the window may be the middle of a line.
  if (mid) {
    if (cp_.encoding == Encoding::utf16le) {
      std::size_t i = 0;
      while (i + 1 < data.size() && !(data[i] == '\n' && data[i + 1] == '\0'))
        i += 2;
      data.remove_prefix(std::min(data.size(), i + 2));
      from += i + 2;
    } else {
      const auto nl = data.find('\n');
      const std::size_t skip = nl == std::string_view::npos ? data.size() : nl + 1;
      data.remove_prefix(skip);
      from += skip;
    }
  }
  const Checkpoint saved = cp_;
  cp_.skipping = false;
  ReadResult ignored;
  if (cp_.encoding == Encoding::utf16le) {
    hand_out_utf16(data, from, false, sink, ignored);
  } else {
    hand_out_utf8(data, from, false, sink, ignored);
  }
  cp_ = saved;
  return {};
}

}  // namespace negoheal::sources
