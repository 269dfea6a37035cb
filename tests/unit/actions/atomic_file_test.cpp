#include "actions/files/atomic_file.h"

#include <gtest/gtest.h>

#include "core/timestamp.h"
#include "tests/test_support.h"

namespace negoheal::actions {
namespace {

using negoheal::testing::read_file;
using negoheal::testing::TempDir;
using negoheal::testing::write_file;

TEST(AtomicFile, BacksUpReplacesAndVerifies) {
  TempDir dir;
  const auto p = dir / "sbpam_rdp.json";
  write_file(p, "{\"old\":1}");
  AtomicWriteOptions o;
  o.now = make_time(2026, 11, 24, std::chrono::hours(10));
  auto r = write_file_atomically(p, "{\"new\":2}", o);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(read_file(p), "{\"new\":2}");
  ASSERT_TRUE(r->backup);
  EXPECT_EQ(read_file(*r->backup), "{\"old\":1}");
  EXPECT_NE(r->backup->filename().string().find("2026-11-24T10-00-00.000Z.bak"), std::string::npos);
}

TEST(AtomicFile, FailedValidationRestoresTheOriginal) {
  TempDir dir;
  const auto p = dir / "f.json";
  write_file(p, "original");
  AtomicWriteOptions o;
  o.validate = [](std::string_view) -> Status { return make_error("not valid"); };
  auto r = write_file_atomically(p, "replacement", o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("original restored"), std::string::npos);
  EXPECT_EQ(read_file(p), "original");
}

TEST(AtomicFile, NewFileNeedsNoBackup) {
  TempDir dir;
  auto r = write_file_atomically(dir / "new.json", "x", {});
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->backup);
  EXPECT_EQ(read_file(dir / "new.json"), "x");
}

TEST(AtomicFile, UnwritableFolderIsAnErrorAndLeavesNoTemporary) {
  TempDir dir;
  auto r = write_file_atomically(dir / "missing-dir" / "f.json", "x", {.backup = false});
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

}  // namespace
}  // namespace negoheal::actions
