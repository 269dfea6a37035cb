#include "agent/sources/tail/tailed_file.h"

#include <gtest/gtest.h>

#include <fstream>
#include <optional>
#include <random>
#include <stdexcept>

#include "agent/sources/file_reader.h"
#include "agent/sources/tail/shared_file.h"
#include "tests/support/wine.h"
#include "tests/test_support.h"

namespace negoheal::sources {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;
using Verdict = TailedFile::Verdict;

// ---------------------------------------------------------------------------------------------
// Helpers

void append(const fs::path& p, std::string_view s) {
  std::ofstream out(p, std::ios::binary | std::ios::app);
  out.write(s.data(), static_cast<std::streamsize>(s.size()));
}

// Overwrites bytes in place (same inode, same size unless writing past the end).
void overwrite(const fs::path& p, std::uint64_t at, std::string_view s) {
  std::fstream f(p, std::ios::binary | std::ios::in | std::ios::out);
  f.seekp(static_cast<std::streamoff>(at));
  f.write(s.data(), static_cast<std::streamsize>(s.size()));
}

std::string utf16(std::u16string_view units) {
  std::string out;
  for (char16_t u : units) {
    out.push_back(static_cast<char>(u & 0xFF));
    out.push_back(static_cast<char>(u >> 8));
  }
  return out;
}

const std::string k_bom16 = "\xFF\xFE";
const std::string k_fffd = "\xEF\xBF\xBD";

struct Line {
  std::string text;  // without its newline
  std::uint64_t offset = 0;
  bool newline = true;  // false: a cut line, or the last line of a drained file
  friend bool operator==(const Line&, const Line&) = default;
};

void PrintTo(const Line& l, std::ostream* os) {
  *os << "{\"" << l.text.substr(0, 40)
      << (l.text.size() > 40 ? "...\" (" + std::to_string(l.text.size()) + " bytes)" : "\"") << " @" << l.offset
      << (l.newline ? "" : " no-newline") << "}";
}

// Splits what a sink receives into lines. Only the last line of a call may lack its newline.
struct Lines {
  std::vector<Line> all;
  std::size_t calls = 0;

  ChunkSink sink() {
    return [this](std::string_view data, std::uint64_t base) { add(data, base); };
  }
  void add(std::string_view data, std::uint64_t base) {
    ++calls;
    EXPECT_FALSE(data.empty()) << "empty sink call at " << base;
    std::size_t begin = 0;
    while (begin < data.size()) {
      const auto nl = data.find('\n', begin);
      if (nl == std::string_view::npos) {
        all.push_back({std::string(data.substr(begin)), base + begin, false});
        break;
      }
      all.push_back({std::string(data.substr(begin, nl - begin)), base + begin, true});
      begin = nl + 1;
    }
  }
  void take(Lines& other) {
    all.insert(all.end(), other.all.begin(), other.all.end());
    other.all.clear();
  }
};

// What a tailer must hand out for UTF-8 `content`: every complete line, lines longer than
// max_line cut to max_line bytes (without their newline); with `final`, a last line without newline.
std::vector<Line> model(std::string_view content, std::size_t max_line, bool final = false) {
  std::vector<Line> out;
  std::size_t begin = 0;
  while (begin < content.size()) {
    const auto nl = content.find('\n', begin);
    if (nl == std::string_view::npos) {
      if (final) out.push_back({std::string(content.substr(begin, max_line)), begin, false});
      break;
    }
    const std::size_t len = nl - begin;
    if (len > max_line) {
      out.push_back({std::string(content.substr(begin, max_line)), begin, false});
    } else {
      out.push_back({std::string(content.substr(begin, len)), begin, true});
    }
    begin = nl + 1;
  }
  return out;
}

Checkpoint fresh(const fs::path& p) {
  Checkpoint cp;
  cp.source_id = 1;
  cp.path = p.string();
  auto st = stat_path(p);
  if (!st) throw std::runtime_error(st.error().message);
  cp.id = st->id;
  return cp;
}

SharedFile open_shared(const fs::path& p) {
  auto f = SharedFile::open(p);
  if (!f) throw std::runtime_error(f.error().message);
  return std::move(f).value();
}

TailedFile open_tail(const fs::path& p, const Checkpoint& cp, TailOptions o = {}) {
  return TailedFile(open_shared(p), cp, o);
}
TailedFile open_tail(const fs::path& p, TailOptions o = {}) {
  return open_tail(p, fresh(p), o);
}

TailedFile::ReadResult read(TailedFile& t, Lines& out, bool final = false) {
  auto r = t.read(out.sink(), final);
  if (!r) throw std::runtime_error(r.error().message);
  return *r;
}

// Reads until nothing is left; returns the number of reads that consumed bytes.
int drain(TailedFile& t, Lines& out, bool final = false) {
  int reads = 0;
  for (int guard = 0; guard < 100000; ++guard) {
    const auto r = read(t, out, final);
    EXPECT_EQ(r.verdict, Verdict::ok);
    if (r.bytes > 0) ++reads;
    if (!r.more) return reads;
  }
  ADD_FAILURE() << "drain did not end";
  return reads;
}

bool matches(const fs::path& p, const Checkpoint& cp) {
  auto m = matches_checkpoint(open_shared(p), cp);
  if (!m) throw std::runtime_error(m.error().message);
  return *m;
}

// ---------------------------------------------------------------------------------------------
// SharedFile

TEST(SharedFile, OpenFailsOnMissingFileAndFolder) {
  TempDir dir;
  EXPECT_FALSE(SharedFile::open(dir / "absent.log").ok());
  EXPECT_FALSE(SharedFile::open(dir.path()).ok());
  EXPECT_FALSE(stat_path(dir / "absent.log").ok());
  EXPECT_FALSE(stat_path(dir.path()).ok());
}

TEST(SharedFile, PositionalReads) {
  TempDir dir;
  testing::write_file(dir / "f.log", "0123456789");
  auto f = open_shared(dir / "f.log");
  char buf[16] = {};
  auto got = f.read_at(3, buf, 4);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(std::string(buf, *got), "3456");
  got = f.read_at(0, buf, 2);  // no cursor: earlier reads do not move anything
  EXPECT_EQ(std::string(buf, *got), "01");
  got = f.read_at(7, buf, 16);  // short only at the end of the file
  EXPECT_EQ(std::string(buf, *got), "789");
  got = f.read_at(10, buf, 16);
  EXPECT_EQ(*got, 0u);
  got = f.read_at(1000, buf, 16);
  EXPECT_EQ(*got, 0u);
  append(dir / "f.log", "ab");  // appends are visible through the open handle
  got = f.read_at(9, buf, 16);
  EXPECT_EQ(std::string(buf, *got), "9ab");
}

TEST(SharedFile, IdentityFollowsTheFileNotTheName) {
  TempDir dir;
  testing::write_file(dir / "a.log", "aaa\n");
  testing::write_file(dir / "b.log", "b\n");
  auto f = open_shared(dir / "a.log");
  auto st = f.stat();
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->size, 4u);
  EXPECT_FALSE(st->deleted);
  EXPECT_EQ(stat_path(dir / "a.log")->id, st->id);
  EXPECT_NE(stat_path(dir / "b.log")->id, st->id);

  append(dir / "a.log", "more\n");
  EXPECT_EQ(f.stat()->size, 9u);

  fs::rename(dir / "a.log", dir / "a.log.1");  // rotation by rename keeps the identity
  if (testing::running_under_wine()) {
    // Wine 8 reports a different volume serial number for an open handle after a rename and keeps
    // nNumberOfLinks at 1 after a delete; Windows does neither.
    GTEST_SKIP() << "wine's GetFileInformationByHandle differs from Windows after rename/delete";
  }
  EXPECT_EQ(stat_path(dir / "a.log.1")->id, st->id);
  EXPECT_EQ(f.stat()->id, st->id);
  EXPECT_FALSE(f.stat()->deleted);

  fs::remove(dir / "a.log.1");  // still readable, and known to be gone
  EXPECT_TRUE(f.stat()->deleted);
  char buf[4];
  EXPECT_EQ(*f.read_at(0, buf, 4), 4u);

  SharedFile moved = std::move(f);
  EXPECT_EQ(moved.stat()->id, st->id);
}

// ---------------------------------------------------------------------------------------------
// TailedFile: lines and offsets

TEST(TailedFile, OffsetsAreTheLinesBytePositions) {
  TempDir dir;
  const auto p = dir / "proxy.log";
  std::string content;
  for (int i = 0; i < 200; ++i)
    content += "[" + std::to_string(i) + "] " + std::string(static_cast<std::size_t>(i * 13 % 71), 'x') + "\n";
  content += "\n\nafter two empty lines\n";
  testing::write_file(p, content);
  auto t = open_tail(p);
  Lines got;
  const auto r = read(t, got);
  EXPECT_EQ(r.verdict, Verdict::ok);
  EXPECT_EQ(r.bytes, content.size());
  EXPECT_EQ(r.lines_cut, 0u);
  EXPECT_FALSE(r.more);
  EXPECT_EQ(got.all, model(content, 64 << 10));
  for (const auto& l : got.all)
    EXPECT_EQ(content.substr(l.offset, l.text.size() + 1), l.text + "\n");
  EXPECT_EQ(t.checkpoint().offset, content.size());
  EXPECT_EQ(t.checkpoint().encoding, Encoding::utf8);

  // Nothing new: nothing handed out, nothing consumed.
  Lines again;
  const auto r2 = read(t, again);
  EXPECT_EQ(r2.verdict, Verdict::ok);
  EXPECT_EQ(r2.bytes, 0u);
  EXPECT_TRUE(again.all.empty());
}

TEST(TailedFile, EmptyFileReadsNothing) {
  TempDir dir;
  testing::write_file(dir / "e.log", "");
  auto t = open_tail(dir / "e.log");
  Lines got;
  const auto r = read(t, got);
  EXPECT_EQ(r.verdict, Verdict::ok);
  EXPECT_EQ(r.bytes, 0u);
  EXPECT_TRUE(got.all.empty());
  EXPECT_EQ(read(t, got, true).bytes, 0u);
  EXPECT_TRUE(got.all.empty());
}

TEST(TailedFile, PartialLineWaitsAndGoesOutOnceWholeWithItsOffset) {
  TempDir dir;
  const auto p = dir / "proxy.log";
  testing::write_file(p, "first\nsec");
  auto t = open_tail(p);
  Lines got;
  auto r = read(t, got);
  EXPECT_EQ(r.bytes, 6u);
  EXPECT_EQ(got.all, (std::vector<Line>{{"first", 0}}));
  EXPECT_EQ(t.checkpoint().offset, 6u);  // the start of the partial line

  append(p, "ond part");  // still no newline
  r = read(t, got);
  EXPECT_EQ(r.bytes, 0u);
  EXPECT_EQ(got.all.size(), 1u);

  append(p, "\nthird\nfou");
  r = read(t, got);
  EXPECT_EQ(r.bytes, 18u);
  EXPECT_EQ(got.all, (std::vector<Line>{{"first", 0}, {"second part", 6}, {"third", 18}}));
  EXPECT_EQ(t.checkpoint().offset, 24u);

  append(p, "rth\n");
  r = read(t, got);
  EXPECT_EQ(got.all.back(), (Line{"fourth", 24}));
  EXPECT_EQ(got.all.size(), 4u);
  EXPECT_EQ(read(t, got).bytes, 0u);
  EXPECT_EQ(got.all.size(), 4u);
}

TEST(TailedFile, FinalHandsOutALastLineWithoutNewline) {
  TempDir dir;
  const auto p = dir / "proxy.log";
  testing::write_file(p, "a\nlast words");
  auto t = open_tail(p);
  Lines got;
  read(t, got);
  EXPECT_EQ(got.all, (std::vector<Line>{{"a", 0}}));
  const auto r = read(t, got, true);
  EXPECT_EQ(r.bytes, 10u);
  EXPECT_EQ(got.all, (std::vector<Line>{{"a", 0}, {"last words", 2, false}}));
  EXPECT_EQ(t.checkpoint().offset, 12u);
  EXPECT_EQ(read(t, got, true).bytes, 0u);
  EXPECT_EQ(got.all.size(), 2u);
}

TEST(TailedFile, FinalWithoutPartialLineIsAPlainRead) {
  TempDir dir;
  testing::write_file(dir / "f.log", "a\nb\n");
  auto t = open_tail(dir / "f.log");
  Lines got;
  EXPECT_EQ(read(t, got, true).bytes, 4u);
  EXPECT_EQ(got.all, (std::vector<Line>{{"a", 0}, {"b", 2}}));
}

TEST(TailedFile, FinalHandsOutAOneByteFile) {
  // A file holding a single byte: with final=true it is drained for the last time, so that byte is
  // a last line without newline. Before the fix the encoding stayed undecided (one byte cannot
  // tell a UTF-16 BOM) and the line was never handed out.
  TempDir dir;
  testing::write_file(dir / "f.log", "x");
  auto t = open_tail(dir / "f.log");
  Lines got;
  EXPECT_EQ(read(t, got).bytes, 0u);  // not final: wait for more
  EXPECT_TRUE(got.all.empty());
  EXPECT_EQ(read(t, got, true).bytes, 1u);
  EXPECT_EQ(got.all, (std::vector<Line>{{"x", 0, false}}));
}

TEST(TailedFile, CrlfLinesPassThroughUnchanged) {
  TempDir dir;
  const std::string content = "one\r\ntwo\r\n\r\nthree\n";
  testing::write_file(dir / "f.log", content);
  auto t = open_tail(dir / "f.log");
  Lines got;
  read(t, got);
  EXPECT_EQ(got.all, (std::vector<Line>{{"one\r", 0}, {"two\r", 5}, {"\r", 10}, {"three", 12}}));
}

TEST(TailedFile, Utf8WithAndWithoutBom) {
  TempDir dir;
  const std::string bom = "\xEF\xBB\xBF";
  const std::string content = bom + "h\xC3\xA9llo\nw\xC3\xB6rld\n";
  testing::write_file(dir / "bom.log", content);
  auto t = open_tail(dir / "bom.log");
  Lines got;
  read(t, got);
  EXPECT_EQ(t.checkpoint().encoding, Encoding::utf8);
  // The UTF-8 BOM stays in the first line (the parsers skip it); offsets stay byte offsets.
  EXPECT_EQ(got.all, (std::vector<Line>{{bom + "h\xC3\xA9llo", 0}, {"w\xC3\xB6rld", 10}}));

  testing::write_file(dir / "plain.log", "h\xC3\xA9llo\n");
  auto u = open_tail(dir / "plain.log");
  Lines plain;
  read(u, plain);
  EXPECT_EQ(u.checkpoint().encoding, Encoding::utf8);
  EXPECT_EQ(plain.all, (std::vector<Line>{{"h\xC3\xA9llo", 0}}));
}

TEST(TailedFile, ReadStopsAtReadChunkAndSaysMore) {
  TempDir dir;
  const auto p = dir / "f.log";
  std::string content;
  for (int i = 0; i < 1000; ++i)
    content += "line number " + std::to_string(i) + "\n";
  testing::write_file(p, content);
  auto t = open_tail(p, {.max_line = 1024, .read_chunk = 4096});
  Lines got;
  auto r = read(t, got);
  EXPECT_TRUE(r.more);
  EXPECT_GT(r.bytes, 4096u - 32u);
  EXPECT_LE(r.bytes, 4096u);
  EXPECT_EQ(t.checkpoint().offset, r.bytes);
  const int reads = 1 + drain(t, got);
  EXPECT_GE(reads, static_cast<int>(content.size() / 4096));
  EXPECT_EQ(got.all, model(content, 1024));
  EXPECT_EQ(t.checkpoint().offset, content.size());
}

// ---------------------------------------------------------------------------------------------
// TailedFile: over-long lines

TEST(TailedFile, HugeLineIsCutOnceAndTheNextLineIsIntact) {
  TempDir dir;
  const auto p = dir / "f.log";
  const std::string huge(200 << 10, 'L');
  const std::string content = "before\n" + huge + "\nnext line\n";
  testing::write_file(p, content);
  auto t = open_tail(p);  // max_line 64 KiB
  Lines got;
  const auto r = read(t, got);
  EXPECT_EQ(r.lines_cut, 1u);
  EXPECT_EQ(got.all, (std::vector<Line>{
                         {"before", 0}, {std::string(64 << 10, 'L'), 7, false}, {"next line", 7 + huge.size() + 1}}));
  EXPECT_EQ(t.checkpoint().offset, content.size());
  EXPECT_FALSE(t.checkpoint().skipping);
}

TEST(TailedFile, HugeLineArrivingInSeveralAppendsIsCutOnce) {
  TempDir dir;
  const auto p = dir / "f.log";
  testing::write_file(p, "before\n");
  auto t = open_tail(p);  // max_line 64 KiB
  Lines got;
  std::uint64_t cut = read(t, got).lines_cut;
  const std::size_t total = 200 << 10;
  for (std::size_t done = 0; done < total;) {
    const std::size_t piece = std::min<std::size_t>(30000, total - done);
    append(p, std::string(piece, 'L'));
    done += piece;
    const auto r = read(t, got);
    EXPECT_EQ(r.verdict, Verdict::ok);
    cut += r.lines_cut;
  }
  EXPECT_TRUE(t.checkpoint().skipping);
  append(p, "\nnext ");
  cut += read(t, got).lines_cut;
  EXPECT_FALSE(t.checkpoint().skipping);
  append(p, "line\n");
  cut += read(t, got).lines_cut;
  EXPECT_EQ(cut, 1u);
  EXPECT_EQ(got.all,
            (std::vector<Line>{{"before", 0}, {std::string(64 << 10, 'L'), 7, false}, {"next line", 7 + total + 1}}));
}

TEST(TailedFile, HugeLineAcrossSmallReadsIsCutOnce) {
  TempDir dir;
  const auto p = dir / "f.log";
  const TailOptions small{.max_line = 1024, .read_chunk = 4096};
  const std::string huge(200 << 10, 'L');
  const std::string content = "before\n" + huge + "\nnext line\nlast\n";
  testing::write_file(p, content);
  auto t = open_tail(p, small);
  Lines got;
  std::uint64_t cut = 0;
  int reads = 0;
  for (bool more = true; more; ++reads) {
    const auto r = read(t, got);
    ASSERT_EQ(r.verdict, Verdict::ok);
    EXPECT_LE(r.bytes, 4096u);
    cut += r.lines_cut;
    more = r.more;
  }
  EXPECT_GT(reads, 40);
  EXPECT_EQ(cut, 1u);
  EXPECT_EQ(got.all, model(content, 1024));
  EXPECT_EQ(got.all.size(), 4u);
  EXPECT_EQ(t.checkpoint().offset, content.size());
}

TEST(TailedFile, HugeLineInSmallAppendsAndSmallReads) {
  TempDir dir;
  const auto p = dir / "f.log";
  const TailOptions small{.max_line = 1024, .read_chunk = 4096};
  testing::write_file(p, "");
  auto t = open_tail(p, small);
  Lines got;
  std::string content = "before\n" + std::string(200 << 10, 'L') + "\nnext line\n";
  std::uint64_t cut = 0;
  for (std::size_t done = 0; done < content.size();) {
    const std::size_t piece = std::min<std::size_t>(700, content.size() - done);  // < max_line
    append(p, std::string_view(content).substr(done, piece));
    done += piece;
    for (bool more = true; more;) {
      const auto r = read(t, got);
      cut += r.lines_cut;
      more = r.more;
    }
  }
  EXPECT_EQ(cut, 1u);
  EXPECT_EQ(got.all, model(content, 1024));
}

TEST(TailedFile, LineOfExactlyMaxLineIsNotCutEvenBeforeItsNewlineArrives) {
  // A line of max_line bytes is not longer than the cap: whole lines are not cut
  // (emit_cut_lines), so a partial one of that length must wait for its newline too. Before
  // the fix it was cut (and its newline skipped) when a read saw it before the newline.
  TempDir dir;
  const auto p = dir / "f.log";
  const TailOptions small{.max_line = 1024, .read_chunk = 4096};
  const std::string exact(1024, 'e');
  testing::write_file(p, "a\n" + exact);
  auto t = open_tail(p, small);
  Lines got;
  auto r = read(t, got);
  EXPECT_EQ(r.lines_cut, 0u);
  EXPECT_FALSE(t.checkpoint().skipping);
  append(p, "\nb\n");
  r = read(t, got);
  EXPECT_EQ(r.lines_cut, 0u);
  EXPECT_EQ(got.all, (std::vector<Line>{{"a", 0}, {exact, 2}, {"b", 1027}}));

  // One byte more is longer than the cap: cut as soon as it is seen.
  testing::write_file(dir / "g.log", "a\n" + exact + "e");
  auto u = open_tail(dir / "g.log", small);
  Lines cut;
  r = read(u, cut);
  EXPECT_EQ(r.lines_cut, 1u);
  EXPECT_TRUE(u.checkpoint().skipping);
  append(dir / "g.log", "eee\nb\n");
  r = read(u, cut);
  EXPECT_EQ(r.lines_cut, 0u);
  EXPECT_EQ(cut.all, (std::vector<Line>{{"a", 0}, {exact, 2, false}, {"b", 1031}}));
}

TEST(TailedFile, FinalLastLineLongerThanTheCapIsCut) {
  TempDir dir;
  testing::write_file(dir / "f.log", "a\n" + std::string(3000, 'z'));
  auto t = open_tail(dir / "f.log", {.max_line = 1024, .read_chunk = 4096});
  Lines got;
  std::uint64_t cut = 0;
  for (int i = 0; i < 3; ++i)
    cut += read(t, got, true).lines_cut;
  EXPECT_EQ(cut, 1u);
  EXPECT_EQ(got.all, (std::vector<Line>{{"a", 0}, {std::string(1024, 'z'), 2, false}}));
}

// ---------------------------------------------------------------------------------------------
// TailedFile: UTF-16LE

TEST(TailedFileUtf16, DecodesLinesKeepingTheirByteOffsets) {
  TempDir dir;
  const auto p = dir / "u16.log";
  // U+0A41 U+2000 is 41 0A 00 20: a "0A 00" at an odd offset is no newline.
  const std::string content = k_bom16 + utf16(u"h\u00e9llo\r\n") +          // [2, 16)
                              utf16(u"a\U0001F600b\n") +                    // [16, 26)
                              utf16(std::u16string{0xD800, u'y', u'\n'}) +  // [26, 32) unpaired high
                              utf16(std::u16string{u'z', 0xDC00, u'\n'}) +  // [32, 38) unpaired low
                              utf16(std::u16string{u'w', 0xD83D, u'\n'}) +  // [38, 44) high at the end
                              utf16(u"\u010a\u0a41\u2000\n") +              // [44, 52)
                              utf16(u"tail");                               // [52, 60) no newline
  testing::write_file(p, content);
  auto t = open_tail(p);
  Lines got;
  auto r = read(t, got);
  EXPECT_EQ(r.verdict, Verdict::ok);
  EXPECT_EQ(t.checkpoint().encoding, Encoding::utf16le);
  EXPECT_EQ(got.all, (std::vector<Line>{{"h\xC3\xA9llo\r", 2},
                                        {"a\xF0\x9F\x98\x80"
                                         "b",
                                         16},
                                        {k_fffd + "y", 26},
                                        {"z" + k_fffd, 32},
                                        {"w" + k_fffd, 38},
                                        {"\xC4\x8A\xE0\xA9\x81\xE2\x80\x80", 44}}));
  EXPECT_EQ(t.checkpoint().offset, 52u);
  EXPECT_EQ(r.bytes, 50u);  // the BOM is skipped, not consumed by a line

  r = read(t, got, true);
  EXPECT_EQ(r.bytes, 8u);
  ASSERT_EQ(got.all.size(), 7u);
  EXPECT_EQ(got.all.back().text, "tail");
  EXPECT_EQ(got.all.back().offset, 52u);
  EXPECT_EQ(t.checkpoint().offset, content.size());
}

TEST(TailedFileUtf16, BomAloneThenLines) {
  TempDir dir;
  const auto p = dir / "u16.log";
  testing::write_file(p, "\xFF");
  auto t = open_tail(p);
  Lines got;
  EXPECT_EQ(read(t, got).bytes, 0u);  // one byte: undecided yet
  EXPECT_EQ(t.checkpoint().encoding, Encoding::undecided);
  append(p, "\xFE");
  EXPECT_EQ(read(t, got).bytes, 0u);
  EXPECT_EQ(t.checkpoint().encoding, Encoding::utf16le);
  EXPECT_EQ(t.checkpoint().offset, 2u);
  append(p, utf16(u"x\n"));
  read(t, got);
  EXPECT_EQ(got.all, (std::vector<Line>{{"x", 2}}));
}

TEST(TailedFileUtf16, PartialLineAndOddByteWait) {
  TempDir dir;
  const auto p = dir / "u16.log";
  const std::string second = utf16(u"d\U0001F600e\n");
  testing::write_file(p, k_bom16 + utf16(u"abc\n") + second.substr(0, 3));  // half a unit
  auto t = open_tail(p);
  Lines got;
  auto r = read(t, got);
  EXPECT_EQ(r.bytes, 8u);
  EXPECT_EQ(got.all, (std::vector<Line>{{"abc", 2}}));
  EXPECT_EQ(t.checkpoint().offset, 10u);
  append(p, second.substr(3, 4));  // ends inside the surrogate pair
  EXPECT_EQ(read(t, got).bytes, 0u);
  append(p, second.substr(7));
  r = read(t, got);
  EXPECT_EQ(r.bytes, second.size());
  EXPECT_EQ(got.all, (std::vector<Line>{{"abc", 2},
                                        {"d\xF0\x9F\x98\x80"
                                         "e",
                                         10}}));
}

TEST(TailedFileUtf16, LongLineIsCutAndItsRemainderSkipped) {
  TempDir dir;
  const auto p = dir / "u16.log";
  const TailOptions o{.max_line = 16, .read_chunk = 64};
  testing::write_file(p, k_bom16 + utf16(u"a\n") + utf16(std::u16string(100, u'Q')) + utf16(u"\nnext\n"));
  auto t = open_tail(p, o);
  Lines got;
  std::uint64_t cut = 0;
  for (bool more = true; more;) {
    const auto r = read(t, got);
    cut += r.lines_cut;
    more = r.more;
  }
  EXPECT_EQ(cut, 1u);
  ASSERT_EQ(got.all.size(), 3u);
  EXPECT_EQ(got.all[0], (Line{"a", 2}));
  EXPECT_EQ(got.all[1].text, std::string(16, 'Q'));
  EXPECT_EQ(got.all[1].offset, 6u);
  EXPECT_EQ(got.all[2], (Line{"next", 208}));
}

TEST(TailedFileUtf16, LongLineInAppendsIsCutOnce) {
  TempDir dir;
  const auto p = dir / "u16.log";
  const TailOptions o{.max_line = 16, .read_chunk = 64};
  testing::write_file(p, k_bom16);
  auto t = open_tail(p, o);
  Lines got;
  std::uint64_t cut = 0;
  const std::string line = utf16(std::u16string(81, u'Q'));
  for (std::size_t at = 0; at < 150; at += 15) {
    append(p, line.substr(at, 15));  // odd byte counts: units split across appends
    cut += read(t, got).lines_cut;
  }
  append(p, line.substr(150) + utf16(u"\nnext\n"));
  cut += read(t, got).lines_cut;
  EXPECT_EQ(cut, 1u);
  ASSERT_EQ(got.all.size(), 2u);
  EXPECT_EQ(got.all[0].text, std::string(16, 'Q'));
  EXPECT_EQ(got.all[0].offset, 2u);
  EXPECT_EQ(got.all[1], (Line{"next", 2 + 2 * 81 + 2}));
}

TEST(TailedFileUtf16, LineOfExactlyMaxLineUnitsIsNotCutBeforeItsNewline) {
  // Same as the UTF-8 case: a partial line of max_line units must wait for its newline.
  TempDir dir;
  const auto p = dir / "u16.log";
  const TailOptions o{.max_line = 16, .read_chunk = 64};
  testing::write_file(p, k_bom16 + utf16(std::u16string(16, u'E')));
  auto t = open_tail(p, o);
  Lines got;
  auto r = read(t, got);
  EXPECT_EQ(r.lines_cut, 0u);
  EXPECT_TRUE(got.all.empty());
  append(p, utf16(u"\nb\n"));
  r = read(t, got);
  EXPECT_EQ(r.lines_cut, 0u);
  EXPECT_EQ(got.all, (std::vector<Line>{{std::string(16, 'E'), 2}, {"b", 36}}));
}

// ---------------------------------------------------------------------------------------------
// TailedFile: truncation, replacement, fingerprints

TEST(TailedFile, CopytruncateIsTruncated) {
  TempDir dir;
  const auto p = dir / "f.log";
  testing::write_file(p, "one\ntwo\nthree\n");
  auto t = open_tail(p);
  Lines got;
  read(t, got);
  const Checkpoint before = t.checkpoint();
  EXPECT_TRUE(matches(p, before));

  testing::write_file(p, "");  // copytruncate: same inode, size 0
  EXPECT_EQ(stat_path(p)->id, before.id);
  auto r = read(t, got);
  EXPECT_EQ(r.verdict, Verdict::truncated);
  EXPECT_EQ(r.bytes, 0u);
  EXPECT_EQ(t.checkpoint().offset, before.offset);  // the caller decides what to do
  EXPECT_FALSE(matches(p, before));

  append(p, "new\n");  // refilled, still below the old offset
  r = read(t, got);
  EXPECT_EQ(r.verdict, Verdict::truncated);
  EXPECT_FALSE(matches(p, before));
  EXPECT_EQ(got.all.size(), 3u);
}

TEST(TailedFile, TruncateAndRefillPastTheOffsetIsReplaced) {
  TempDir dir;
  const auto p = dir / "f.log";
  testing::write_file(p, "[12:00:00] old line one\n[12:00:01] old line two\n");
  auto t = open_tail(p);
  Lines got;
  read(t, got);
  const Checkpoint before = t.checkpoint();
  ASSERT_EQ(got.all.size(), 2u);

  // Truncated and refilled with other content, already larger than the old offset.
  testing::write_file(p, "[13:30:00] a different file, first line\n[13:30:05] and it is longer than before\n");
  EXPECT_EQ(stat_path(p)->id, before.id);
  EXPECT_FALSE(matches(p, before));
  const auto r = read(t, got);
  EXPECT_EQ(r.verdict, Verdict::replaced);
  EXPECT_EQ(r.bytes, 0u);
  EXPECT_EQ(got.all.size(), 2u);  // nothing of the new content handed out
  EXPECT_EQ(t.checkpoint().offset, before.offset);
}

TEST(TailedFile, FingerprintsFollowTheReads) {
  TempDir dir;
  const auto p = dir / "f.log";
  std::string content;
  for (int i = 0; i < 1000; ++i)
    content += "line " + std::to_string(i) + "\n";
  testing::write_file(p, content.substr(0, 30));
  auto t = open_tail(p);
  Lines got;
  const auto check = [&] {
    const auto& cp = t.checkpoint();
    EXPECT_EQ(cp.head_len, std::min<std::uint64_t>(cp.offset, k_head_bytes));
    EXPECT_EQ(cp.head_hash, content_fingerprint(content.substr(0, cp.head_len)));
    EXPECT_EQ(cp.marker_len, std::min<std::uint64_t>(cp.offset, k_marker_bytes));
    EXPECT_EQ(cp.marker_hash, content_fingerprint(content.substr(cp.offset - cp.marker_len, cp.marker_len)));
    EXPECT_TRUE(matches(p, cp));
  };
  read(t, got);
  check();
  for (std::size_t at = 30; at < content.size(); at += 777) {
    append(p, content.substr(at, 777));
    read(t, got);
    check();
  }
  EXPECT_EQ(t.checkpoint().head_len, k_head_bytes);
  EXPECT_EQ(got.all, model(content, 64 << 10));
}

TEST(TailedFile, MatchesCheckpointSeesHeadAndMarkerChanges) {
  TempDir dir;
  const auto p = dir / "f.log";
  std::string content;
  for (int i = 0; i < 1000; ++i)
    content += "line " + std::to_string(i) + "\n";
  testing::write_file(p, content);
  auto t = open_tail(p);
  Lines got;
  drain(t, got);
  const Checkpoint cp = t.checkpoint();
  ASSERT_EQ(cp.offset, content.size());
  EXPECT_TRUE(matches(p, cp));
  append(p, "more\n");  // growth is fine
  EXPECT_TRUE(matches(p, cp));

  overwrite(p, 0, "L");  // the head changed, the marker did not
  EXPECT_FALSE(matches(p, cp));
  overwrite(p, 0, "l");
  EXPECT_TRUE(matches(p, cp));

  overwrite(p, cp.offset - 10, "X");  // the marker changed
  EXPECT_FALSE(matches(p, cp));
  const auto r = read(t, got);
  EXPECT_EQ(r.verdict, Verdict::replaced);
}

TEST(TailedFile, HeadReadsTheFirstBytes) {
  TempDir dir;
  testing::write_file(dir / "f.log", "abcdef\n");
  auto t = open_tail(dir / "f.log");
  EXPECT_EQ(*t.head(3), "abc");
  EXPECT_EQ(*t.head(4096), "abcdef\n");
  EXPECT_EQ(*t.head(0), "");
}

// ---------------------------------------------------------------------------------------------
// TailedFile: replay, rewind, resume

TEST(TailedFile, ReplayBeforeStartsAtALineStart) {
  TempDir dir;
  const auto p = dir / "f.log";
  const std::string content = "alpha\nbravo\ncharlie\ndelta\n";  // lines at 0, 6, 12, 20; size 26
  testing::write_file(p, content);
  auto t = open_tail(p);
  Lines ignored;
  read(t, ignored);
  const Checkpoint cp = t.checkpoint();
  const auto replay = [&](std::size_t n) {
    Lines got;
    EXPECT_TRUE(t.replay_before(n, got.sink()).ok());
    return got.all;
  };
  const std::vector<Line> all = {{"alpha", 0}, {"bravo", 6}, {"charlie", 12}, {"delta", 20}};
  EXPECT_EQ(replay(1000), all);
  EXPECT_EQ(replay(26), all);
  EXPECT_EQ(replay(25), (std::vector<Line>{all[1], all[2], all[3]}));  // from 1: mid-line
  // The window starts exactly at a line start: that line is complete and among the last n bytes.
  EXPECT_EQ(replay(14), (std::vector<Line>{all[2], all[3]}));
  EXPECT_EQ(replay(20), (std::vector<Line>{all[1], all[2], all[3]}));
  EXPECT_EQ(replay(13), (std::vector<Line>{all[3]}));
  EXPECT_EQ(replay(6), (std::vector<Line>{all[3]}));
  EXPECT_TRUE(replay(5).empty());
  EXPECT_TRUE(replay(0).empty());

  // Replay leaves the checkpoint alone.
  EXPECT_EQ(t.checkpoint().offset, cp.offset);
  EXPECT_EQ(t.checkpoint().marker_hash, cp.marker_hash);
  append(p, "echo\n");
  Lines next;
  read(t, next);
  EXPECT_EQ(next.all, (std::vector<Line>{{"echo", 26}}));
}

TEST(TailedFile, ReplayBeforeAtTheStartIsEmpty) {
  TempDir dir;
  testing::write_file(dir / "f.log", "a\nb\n");
  auto t = open_tail(dir / "f.log");
  Lines got;
  EXPECT_TRUE(t.replay_before(100, got.sink()).ok());
  EXPECT_TRUE(got.all.empty());
}

TEST(TailedFileUtf16, ReplayBeforeStartsAtALineStartAndSkipsTheBom) {
  TempDir dir;
  const auto p = dir / "u16.log";
  testing::write_file(p, k_bom16 + utf16(u"ab\n") + utf16(u"cde\n"));  // lines at 2 and 8; size 16
  auto t = open_tail(p);
  Lines ignored;
  read(t, ignored);
  ASSERT_EQ(t.checkpoint().offset, 16u);
  const auto replay = [&](std::size_t n) {
    Lines got;
    EXPECT_TRUE(t.replay_before(n, got.sink()).ok());
    return got.all;
  };
  const std::vector<Line> all = {{"ab", 2}, {"cde", 8}};
  EXPECT_EQ(replay(1000), all);
  EXPECT_EQ(replay(14), all);
  EXPECT_EQ(replay(13), (std::vector<Line>{all[1]}));  // from 3: rounded to a unit, mid-line
  EXPECT_EQ(replay(8), (std::vector<Line>{all[1]}));   // from 8: a line start
  EXPECT_TRUE(replay(7).empty());
  EXPECT_TRUE(replay(1).empty());
}

TEST(TailedFile, RewindHandsTheSameLinesOutAgain) {
  TempDir dir;
  const auto p = dir / "f.log";
  testing::write_file(p, "a\nb\n");
  auto t = open_tail(p);
  Lines first;
  read(t, first);
  const Checkpoint saved = t.checkpoint();
  append(p, "c\nd\n");
  Lines lost;
  read(t, lost);  // the caller could not store these
  EXPECT_EQ(lost.all, (std::vector<Line>{{"c", 4}, {"d", 6}}));
  t.rewind(saved);
  Lines again;
  read(t, again);
  EXPECT_EQ(again.all, lost.all);
}

TEST(TailedFile, ResumeFromASavedCheckpointContinuesAfterTheLastLine) {
  TempDir dir;
  const auto p = dir / "f.log";
  testing::write_file(p, "one\ntwo\nthr");
  Checkpoint saved;
  Lines got;
  {
    auto t = open_tail(p);
    read(t, got);
    saved = t.checkpoint();
  }
  append(p, "ee\nfour\n");
  EXPECT_TRUE(matches(p, saved));
  auto t = open_tail(p, saved);
  read(t, got);
  EXPECT_EQ(got.all, (std::vector<Line>{{"one", 0}, {"two", 4}, {"three", 8}, {"four", 14}}));
}

TEST(TailedFile, ResumeInsideACutLineKeepsSkipping) {
  TempDir dir;
  const auto p = dir / "f.log";
  const TailOptions small{.max_line = 1024, .read_chunk = 4096};
  testing::write_file(p, "a\n" + std::string(5000, 'L'));
  Lines got;
  Checkpoint saved;
  {
    auto t = open_tail(p, small);
    drain(t, got);
    saved = t.checkpoint();
  }
  EXPECT_TRUE(saved.skipping);
  append(p, std::string(3000, 'L') + "\nb\n");
  auto t = open_tail(p, saved, small);
  drain(t, got);
  EXPECT_EQ(got.all, (std::vector<Line>{{"a", 0}, {std::string(1024, 'L'), 2, false}, {"b", 8003}}));
}

// The property: whatever the sizes of the appends, the timing of the reads, failed commits
// (rewind) and restarts from the stored checkpoint, the lines handed out and committed are the
// file's lines, each exactly once, with its byte offset.
TEST(TailedFileProperty, RandomAppendsReadsRewindsAndRestartsUtf8) {
  std::mt19937 rng(20261124);
  const auto uniform = [&](std::size_t lo, std::size_t hi) {
    return std::uniform_int_distribution<std::size_t>(lo, hi)(rng);
  };
  const TailOptions opt{.max_line = 1024, .read_chunk = 4096};

  std::string content;
  for (int i = 0; i < 3000; ++i) {
    std::size_t len = 0;
    const auto kind = uniform(0, 99);
    if (kind < 80) {
      len = uniform(0, 150);
    } else if (kind < 90) {
      len = uniform(150, 1100);
    } else if (kind < 94) {
      len = uniform(1023, 1026);  // around the cap
    } else {
      len = uniform(1100, 12000);
    }
    std::string line = "#" + std::to_string(i) + ":";
    while (line.size() < len)
      line.push_back(static_cast<char>('a' + uniform(0, 25)));
    line.resize(std::max<std::size_t>(len, 1));
    if (uniform(0, 9) == 0) line.back() = '\r';
    content += line + "\n";
  }

  TempDir dir;
  const auto p = dir / "proxy.log";
  testing::write_file(p, "");
  Checkpoint saved = fresh(p);
  auto t = open_tail(p, saved, opt);
  Lines committed, pending;
  std::size_t written = 0;
  int restarts = 0, rewinds = 0, replays = 0;

  const auto check_replay = [&] {
    const auto& cp = t.checkpoint();
    const std::size_t n = uniform(0, 6000);
    Lines replayed;
    ASSERT_TRUE(t.replay_before(n, replayed.sink()).ok());
    const std::uint64_t window = cp.offset - std::min<std::uint64_t>(n, cp.offset);
    std::vector<Line> want;
    for (const auto& l : model(content, opt.max_line))
      if (l.offset >= window && l.offset < cp.offset) want.push_back(l);
    ASSERT_EQ(replayed.all, want) << "offset " << cp.offset << " n " << n;
    ++replays;
  };

  while (written < content.size()) {
    const auto action = uniform(0, 19);
    if (action < 9) {
      const std::size_t piece =
          std::min(content.size() - written, uniform(0, 9) == 0 ? uniform(1, 20000) : uniform(1, 1500));
      append(p, std::string_view(content).substr(written, piece));
      written += piece;
    } else if (action < 17) {
      const auto r = read(t, pending);
      ASSERT_EQ(r.verdict, Verdict::ok);
      ASSERT_LE(r.bytes, opt.read_chunk);
      if (uniform(0, 9) == 0) {  // the transaction failed
        t.rewind(saved);
        pending.all.clear();
        ++rewinds;
      } else {
        committed.take(pending);
        saved = t.checkpoint();
      }
    } else if (action < 19) {  // the agent restarts from the stored checkpoint
      pending.all.clear();
      ASSERT_TRUE(matches(p, saved));
      t = open_tail(p, saved, opt);
      ++restarts;
    } else {
      check_replay();
    }
  }
  drain(t, pending);
  committed.take(pending);

  EXPECT_GT(restarts, 20);
  EXPECT_GT(rewinds, 5);
  EXPECT_GT(replays, 10);
  const auto want = model(content, opt.max_line);
  ASSERT_EQ(committed.all.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i)
    ASSERT_EQ(committed.all[i], want[i]) << "line " << i;
  EXPECT_EQ(t.checkpoint().offset, content.size());
}

TEST(TailedFileProperty, RandomAppendsReadsAndRestartsUtf16) {
  std::mt19937 rng(424242);
  const auto uniform = [&](std::size_t lo, std::size_t hi) {
    return std::uniform_int_distribution<std::size_t>(lo, hi)(rng);
  };
  const TailOptions opt{.max_line = 64, .read_chunk = 256};
  const std::u16string alphabet = u"abcXYZ \u00e9\u20ac\u010a\u0a41\u2000\r";

  std::string content = k_bom16;
  struct Want {
    std::string text;
    std::uint64_t offset;
  };
  std::vector<Want> want;
  for (int i = 0; i < 1500; ++i) {
    std::u16string line;
    const std::size_t len = uniform(0, 9) == 0 ? uniform(60, 300) : uniform(0, 40);
    while (line.size() < len) {
      switch (uniform(0, 9)) {
        case 0:
          line += u"\U0001F600";
          break;
        case 1:
          line.push_back(static_cast<char16_t>(0xD800 + uniform(0, 0x7FF)));  // any surrogate, paired or not
          break;
        default:
          line.push_back(alphabet[uniform(0, alphabet.size() - 1)]);
      }
    }
    std::string text;
    append_utf16le_as_utf8(text, utf16(std::u16string_view(line).substr(0, opt.max_line)));
    want.push_back({text, content.size()});
    content += utf16(line) + utf16(u"\n");
  }

  TempDir dir;
  const auto p = dir / "u16.log";
  testing::write_file(p, "");
  Checkpoint saved = fresh(p);
  auto t = open_tail(p, saved, opt);
  Lines committed, pending;
  std::size_t written = 0;
  while (written < content.size()) {
    const auto action = uniform(0, 9);
    if (action < 5) {
      const std::size_t piece = std::min(content.size() - written, uniform(1, 700));  // odd sizes too
      append(p, std::string_view(content).substr(written, piece));
      written += piece;
    } else if (action < 9) {
      const auto r = read(t, pending);
      ASSERT_EQ(r.verdict, Verdict::ok);
      committed.take(pending);
      saved = t.checkpoint();
    } else {
      ASSERT_TRUE(matches(p, saved));
      t = open_tail(p, saved, opt);
    }
  }
  drain(t, pending);
  committed.take(pending);

  ASSERT_EQ(committed.all.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    ASSERT_EQ(committed.all[i].text, want[i].text) << "line " << i;
    ASSERT_EQ(committed.all[i].offset, want[i].offset) << "line " << i;
  }
  EXPECT_EQ(t.checkpoint().offset, content.size());
}

}  // namespace
}  // namespace negoheal::sources
