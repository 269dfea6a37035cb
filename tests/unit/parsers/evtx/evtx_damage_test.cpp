// Damaged files, built on purpose: every case must read what can be read, report the rest with
// an offset and a reason, and never crash, recurse without bound or allocate without bound.
#include <gtest/gtest.h>

#include <algorithm>

#include "tests/unit/parsers/evtx/evtx_test_util.h"

namespace negoheal::testing::evtx {
namespace {

std::string two_record_chunk(std::uint64_t first_id = 1) {
  ChunkWriter w;
  const auto def = simple_record(w, first_id);
  simple_record(w, first_id + 1, def);
  return w.finish();
}

TEST(EvtxDamage, NotAnEvtxFileIsAnError) {
  const auto c = read_all(std::string(5000, 'x'));
  EXPECT_FALSE(c.ok);
  EXPECT_NE(c.error.find("ElfFile"), std::string::npos);
  EXPECT_FALSE(read_all("").ok);
}

TEST(EvtxDamage, RecoverModeScansAFileWithoutHeader) {
  const auto c = read_all(std::string(4096, '\0') + two_record_chunk(), true);
  ASSERT_TRUE(c.ok);
  EXPECT_EQ(c.records.size(), 2U);
}

TEST(EvtxDamage, DataCrcMismatchIsAWarningNotFatal) {
  auto chunk = two_record_chunk();
  chunk[52] = static_cast<char>(chunk[52] ^ 0x55);
  const auto c = read_all(file_header(1) + chunk);
  EXPECT_EQ(c.records.size(), 2U);
  EXPECT_EQ(c.stats.crc_mismatches, 2U);  // the stored data CRC is itself covered by the header CRC
  EXPECT_TRUE(c.diagnosed("records CRC mismatch"));
}

TEST(EvtxDamage, HeaderCrcMismatchIsReported) {
  auto file = file_header(1) + two_record_chunk();
  file[4096 + 60] = 1;  // unused header bytes, covered by the checksum
  const auto c = read_all(file);
  EXPECT_EQ(c.records.size(), 2U);
  EXPECT_TRUE(c.diagnosed("header CRC mismatch"));
}

TEST(EvtxDamage, NoCrc32FilesAreNotCorrupt) {
  auto file = file_header(1, 0x4, 2);
  file[124] = static_cast<char>(file[124] ^ 1);
  auto chunk = two_record_chunk();
  chunk[52] = static_cast<char>(chunk[52] ^ 1);
  const auto c = read_all(file + chunk);
  EXPECT_EQ(c.records.size(), 2U);
  EXPECT_TRUE(c.diagnostics.empty()) << c.diagnostics.front();
}

TEST(EvtxDamage, StaleChunkCountStillReadsEveryChunk) {
  const auto c = read_all(file_header(1, 0x1) + two_record_chunk(1) + two_record_chunk(3) + two_record_chunk(5));
  EXPECT_EQ(c.records.size(), 6U);
}

TEST(EvtxDamage, WrappedRingBufferComesOutInRecordOrder) {
  const auto c = read_all(file_header(2) + two_record_chunk(10) + two_record_chunk(1));
  ASSERT_EQ(c.records.size(), 4U);
  EXPECT_EQ(c.records[0].record_id, 1U);
  EXPECT_EQ(c.records[3].record_id, 11U);
  EXPECT_EQ(c.records[0].chunk_index, 1U);
}

TEST(EvtxDamage, ZeroedChunkSignatureNeedsRecoverMode) {
  auto chunk = two_record_chunk();
  std::fill(chunk.begin(), chunk.begin() + 8, '\0');
  const auto file = file_header(1) + chunk;
  const auto normal = read_all(file);
  EXPECT_TRUE(normal.records.empty());
  EXPECT_TRUE(normal.diagnosed("signature zeroed"));
  const auto recovered = read_all(file, true);
  EXPECT_EQ(recovered.records.size(), 2U);
}

TEST(EvtxDamage, WhollyZeroedChunkHeaderIsCarvedInRecoverMode) {
  auto chunk = two_record_chunk();
  std::fill(chunk.begin(), chunk.begin() + 512, '\0');
  const auto c = read_all(file_header(1) + chunk, true);
  EXPECT_EQ(c.records.size(), 2U);
}

TEST(EvtxDamage, TruncatedRecordIsSkippedAndTheNextOneRead) {
  ChunkWriter w;
  const auto def = simple_record(w, 1);
  const auto bad = w.record(2, k_filetime, [&] {
    w.fragment_header();
    w.instance([] {}, def);
    w.u32(9);  // nine values announced, none present
  });
  simple_record(w, 3, def);
  auto chunk = w.finish();
  put_le(chunk, bad + 4, 0x30, 4);  // the size no longer matches its copy
  const auto c = read_all(file_header(1) + chunk);
  ASSERT_EQ(c.records.size(), 2U);
  EXPECT_EQ(c.records[1].record_id, 3U);
  EXPECT_GE(c.stats.records_skipped, 1U);
  EXPECT_TRUE(c.diagnosed(std::to_string(4096 + bad) + ": "));
}

TEST(EvtxDamage, SizeCopyMismatchOnAWholeRecordKeepsIt) {
  ChunkWriter w;
  simple_record(w, 1);
  const auto at = w.pos();
  simple_record(w, 2);
  auto chunk = w.finish();
  const auto size = static_cast<std::size_t>(static_cast<unsigned char>(chunk[at + 4])) |
                    static_cast<std::size_t>(static_cast<unsigned char>(chunk[at + 5])) << 8;
  put_le(chunk, at + size - 4, 0, 4);
  const auto c = read_all(file_header(1) + chunk);
  EXPECT_EQ(c.records.size(), 2U);
  EXPECT_TRUE(c.diagnosed("size copy mismatch"));
}

TEST(EvtxDamage, HugeSizesAreRejectedNotTrusted) {
  ChunkWriter w;
  const auto def = simple_record(w, 1);
  w.record(2, k_filetime, [&] {  // substitution count far beyond the data
    w.fragment_header();
    w.instance([] {}, def);
    w.u32(0xFFFFFFF0U);
  });
  w.record(3, k_filetime, [&] {  // a value size past the record
    w.fragment_header();
    w.instance([] {}, def);
    w.u32(1);
    w.u16(0xFFFF);
    w.byte(0x01);
    w.byte(0);
  });
  w.record(4, k_filetime, [&] {  // a template reference past the chunk
    w.fragment_header();
    w.instance([] {}, 0xFFFFFF00U);
    w.u32(0);
  });
  w.record(5, k_filetime, [&] {  // a name with a huge character count
    w.fragment_header();
    w.byte(0x01);
    w.u32(0);
    w.u32(static_cast<std::uint32_t>(w.pos() + 4));
    w.u32(0);
    w.u16(0);
    w.u16(0xFFFF);
  });
  const auto rec6 = w.record(6, k_filetime, [&] { w.fragment_header(); });
  auto chunk = w.finish();
  put_le(chunk, rec6 + 4, 0xFFFFFFFFU, 4);  // a record size beyond the chunk
  const auto c = read_all(file_header(1) + chunk);
  ASSERT_EQ(c.records.size(), 1U);
  EXPECT_EQ(c.stats.records_skipped, 5U);
}

TEST(EvtxDamage, DeepNestingIsCappedNotRecursedWithoutBound) {
  ChunkWriter w;
  w.record(1, k_filetime, [&] {
    w.fragment_header();
    for (int i = 0; i < 5000; ++i) {
      w.open("E", false, false);
      w.close_start();
    }
    for (int i = 0; i < 5000; ++i)
      w.end();
    w.eof();
  });
  const auto c = read_all(file_header(1) + w.finish());
  EXPECT_TRUE(c.records.empty());
  EXPECT_TRUE(c.diagnosed("too deeply"));
}

TEST(EvtxDamage, NestedBinXmlValuesReferringToThemselvesAreBounded) {
  // A template whose only content is a BinXML substitution, and a value that instantiates the
  // same template again and again: the nesting cap stops it.
  ChunkWriter w;
  w.record(1, k_filetime, [&] {
    w.fragment_header();
    const auto def = w.instance([&] {
      w.fragment_header();
      w.open("A", false);
      w.close_start();
      w.subst(0, 0x21);
      w.end();
      w.eof();
    });
    std::string inner;
    for (int i = 0; i < 200; ++i) {
      // Each level: instance(def) with one 0x21 value holding the next level.
      std::string level;
      level += '\x0c';
      level += '\x01';
      level += le(0, 4);
      level += le(def, 4);
      level += le(1, 4);
      level += le(inner.size(), 2);
      level += '\x21';
      level += '\0';
      level += inner;
      if (level.size() > 0xFFFF) break;
      inner = level;
    }
    w.values({{0x21, inner}});
  });
  const auto c = read_all(file_header(1) + w.finish());
  // Either rendered with the innermost levels left out, or skipped: never a crash.
  EXPECT_LE(c.records.size(), 1U);
}

TEST(EvtxDamage, TruncatedFileReadsTheRecordsThatAreWhole) {
  const auto full = file_header(1) + two_record_chunk();
  const auto c = read_all(full.substr(0, 4096 + 2000));
  EXPECT_GE(c.records.size(), 1U);
  EXPECT_TRUE(c.diagnosed("truncated"));
}

TEST(EvtxDamage, EveryPrefixAndEveryByteFlipIsSafe) {
  const auto full = file_header(1) + two_record_chunk();
  for (std::size_t n = 0; n < 4096 + 2048; n += 7)
    (void)read_all(full.substr(0, n), true);
  for (std::size_t i = 4096 + 512; i < 4096 + 1500; ++i) {
    auto f = full;
    f[i] = static_cast<char>(f[i] ^ 0xFF);
    (void)read_all(f);
  }
  SUCCEED();
}

}  // namespace
}  // namespace negoheal::testing::evtx
