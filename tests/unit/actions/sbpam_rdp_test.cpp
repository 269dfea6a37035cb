#include "actions/remediation/sbpam_rdp.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "core/timestamp.h"
#include "tests/test_support.h"

#if !defined(_WIN32)
#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#endif

namespace negoheal::actions {
namespace {

namespace fs = std::filesystem;
using negoheal::testing::read_file;
using negoheal::testing::TempDir;
using negoheal::testing::write_file;

const std::string k_bom = "\xEF\xBB\xBF";

std::string crlf(std::string_view lf) {
  std::string out;
  for (const char c : lf) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

// Plans and checks what every successful plan must satisfy: the output parses, and planning it
// again changes nothing (applying twice writes nothing the second time).
EditPlan plan_ok(std::string_view in, bool value = true) {
  auto r = plan_rdp_security(in, value);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  if (!r.ok()) return {};
  auto again = plan_rdp_security(r->text, value);
  EXPECT_TRUE(again.ok()) << (again.ok() ? "" : again.error().message);
  if (again.ok()) {
    EXPECT_FALSE(again->changed) << "not idempotent on:\n" << r->text;
    EXPECT_EQ(again->text, r->text);
  }
  if (!r->changed) {
    EXPECT_EQ(r->text, in);
  }
  return std::move(r).value();
}

std::string plan_error(std::string_view in, bool value = true) {
  auto r = plan_rdp_security(in, value);
  EXPECT_FALSE(r.ok()) << "accepted:\n" << in;
  return r.ok() ? std::string() : r.error().message;
}

using Changes = std::vector<std::string>;

// ---- Shapes: input text -> exact output text -----------------------------------------------------

TEST(PlanRdpSecurity, MissingClientSettingsIsAddedLastInTheFilesIndentation) {
  const std::string in = R"({
  "listenaddress": "0.0.0.0:4489",
  "startuptimeout": "30s"
}
)";
  const auto p = plan_ok(in);
  EXPECT_EQ(p.text, R"({
  "listenaddress": "0.0.0.0:4489",
  "startuptimeout": "30s",
  "ClientSettings": [
    {
      "key": "RdpSecurity",
      "Value": true
    }
  ]
}
)");
  EXPECT_TRUE(p.changed);
  EXPECT_EQ(p.changes, (Changes{"added ClientSettings", "added RdpSecurity entry"}));
  EXPECT_FALSE(p.old_value);
}

TEST(PlanRdpSecurity, FourSpacesCrlfAndBomAreKept) {
  const std::string in = k_bom + crlf(R"({
    "listenaddress": "0.0.0.0:4489"
}
)");
  const auto p = plan_ok(in);
  EXPECT_EQ(p.text, k_bom + crlf(R"({
    "listenaddress": "0.0.0.0:4489",
    "ClientSettings": [
        {
            "key": "RdpSecurity",
            "Value": true
        }
    ]
}
)"));
}

TEST(PlanRdpSecurity, TabsAreKept) {
  const auto p = plan_ok("{\n\t\"listenaddress\": \"0.0.0.0:4489\"\n}");
  EXPECT_EQ(p.text,
            "{\n\t\"listenaddress\": \"0.0.0.0:4489\",\n\t\"ClientSettings\": [\n\t\t{\n\t\t\t\"key\": "
            "\"RdpSecurity\",\n\t\t\t\"Value\": true\n\t\t}\n\t]\n}");
}

TEST(PlanRdpSecurity, OneLineFilesStayOnOneLine) {
  EXPECT_EQ(plan_ok(R"({"listenaddress":"0.0.0.0:4489"})").text,
            R"({"listenaddress":"0.0.0.0:4489","ClientSettings":[{"key":"RdpSecurity","Value":true}]})");
  EXPECT_EQ(plan_ok(R"({"a": 1, "b": 2})").text,
            R"({"a": 1, "b": 2, "ClientSettings": [{"key": "RdpSecurity", "Value": true}]})");
  EXPECT_EQ(plan_ok(R"({ "a" : 1 })").text,
            R"({ "a" : 1, "ClientSettings" : [{"key" : "RdpSecurity", "Value" : true}] })");
}

TEST(PlanRdpSecurity, EmptyObjectGetsTwoSpaces) {
  EXPECT_EQ(plan_ok("{}").text, R"({
  "ClientSettings": [
    {
      "key": "RdpSecurity",
      "Value": true
    }
  ]
})");
  EXPECT_EQ(plan_ok(crlf("{\n}\n")).text,
            crlf("{\n  \"ClientSettings\": [\n    {\n      \"key\": \"RdpSecurity\",\n      \"Value\": true\n    }\n  "
                 "]\n}\n"));
}

TEST(PlanRdpSecurity, FalseBecomesTrueAndNothingElseMoves) {
  const std::string in = R"({
  "listenaddress": "0.0.0.0:4489",
  "ClientSettings": [
    {
      "key": "RdpSecurity",
      "Value": false
    }
  ],
  "OverridePort": ["rds01:5589"]
}
)";
  const auto p = plan_ok(in);
  std::string want = in;
  want.replace(want.find("false"), 5, "true");
  EXPECT_EQ(p.text, want);
  EXPECT_EQ(p.changes, (Changes{"RdpSecurity false -> true"}));
  EXPECT_EQ(p.old_value, "false");
}

TEST(PlanRdpSecurity, StringFalseBecomesTheBoolean) {
  const auto p = plan_ok(R"({"ClientSettings": [{"key": "RdpSecurity", "Value": "false"}]})");
  EXPECT_EQ(p.text, R"({"ClientSettings": [{"key": "RdpSecurity", "Value": true}]})");
  EXPECT_EQ(p.changes, (Changes{R"(RdpSecurity "false" -> true)"}));
  EXPECT_EQ(p.old_value, R"("false")");
  // Even "true": the documented shape is the boolean.
  EXPECT_EQ(plan_ok(R"({"ClientSettings":[{"key":"RdpSecurity","Value":"true"}]})").text,
            R"({"ClientSettings":[{"key":"RdpSecurity","Value":true}]})");
  EXPECT_EQ(plan_ok(R"({"ClientSettings":[{"key":"RdpSecurity","Value":1}]})").text,
            R"({"ClientSettings":[{"key":"RdpSecurity","Value":true}]})");
}

TEST(PlanRdpSecurity, KeySpellingsMatchAndAreKept) {
  EXPECT_EQ(plan_ok(R"({"ClientSettings": [{"Key": "RdpSecurity", "Value": false}]})").text,
            R"({"ClientSettings": [{"Key": "RdpSecurity", "Value": true}]})");
  EXPECT_EQ(plan_ok(R"({"ClientSettings": [{"KEY": "rdpsecurity", "value": false}]})").text,
            R"({"ClientSettings": [{"KEY": "rdpsecurity", "value": true}]})");
  EXPECT_EQ(plan_ok(R"({"clientsettings": [{"key": "RDPSECURITY", "VALUE": false}]})").text,
            R"({"clientsettings": [{"key": "RDPSECURITY", "VALUE": true}]})");
  // Names are compared decoded, as a JSON reader sees them.
  EXPECT_EQ(plan_ok(R"({"ClientSettings": [{"k\u0065y": "Rdp\u0053ecurity", "Value": false}]})").text,
            R"({"ClientSettings": [{"k\u0065y": "Rdp\u0053ecurity", "Value": true}]})");
}

TEST(PlanRdpSecurity, AlreadySetChangesNothing) {
  const std::string in = crlf("{\n  \"ClientSettings\": [ { \"key\": \"RdpSecurity\", \"Value\": true } ]\n}\n");
  const auto p = plan_ok(in);
  EXPECT_FALSE(p.changed);
  EXPECT_EQ(p.text, in);
  EXPECT_EQ(p.changes, (Changes{"already set: no change"}));
  EXPECT_EQ(p.old_value, "true");
}

TEST(PlanRdpSecurity, EntryIsAppendedInTheLayoutOfItsSiblings) {
  const std::string in = R"({
  "ClientSettings": [
    {
      "key": "GatewayEnabled",
      "Value": false
    }
  ],
  "startuptimeout": "30s"
}
)";
  EXPECT_EQ(plan_ok(in).text, R"({
  "ClientSettings": [
    {
      "key": "GatewayEnabled",
      "Value": false
    },
    {
      "key": "RdpSecurity",
      "Value": true
    }
  ],
  "startuptimeout": "30s"
}
)");
  const std::string inline_entries = R"({
  "ClientSettings": [
    {"key": "A", "Value": 1},
    {"key": "B", "Value": "x"}
  ]
}
)";
  EXPECT_EQ(plan_ok(inline_entries).text, R"({
  "ClientSettings": [
    {"key": "A", "Value": 1},
    {"key": "B", "Value": "x"},
    {"key": "RdpSecurity", "Value": true}
  ]
}
)");
  EXPECT_EQ(plan_ok(R"({"ClientSettings": [{"key": "A", "Value": 1}, {"key": "B", "Value": 2}]})").text,
            R"({"ClientSettings": [{"key": "A", "Value": 1}, {"key": "B", "Value": 2}, )"
            R"({"key": "RdpSecurity", "Value": true}]})");
}

TEST(PlanRdpSecurity, EmptyArrayGetsTheEntry) {
  EXPECT_EQ(plan_ok("{\n  \"ClientSettings\": [],\n  \"a\": 1\n}\n").text, R"({
  "ClientSettings": [
    {
      "key": "RdpSecurity",
      "Value": true
    }
  ],
  "a": 1
}
)");
  EXPECT_EQ(plan_ok(R"({"ClientSettings":[ ]})").text, R"({"ClientSettings":[{"key":"RdpSecurity","Value":true}]})");
}

TEST(PlanRdpSecurity, NullClientSettingsBecomesAnArray) {
  const auto p = plan_ok("{\n  \"ClientSettings\": null,\n  \"a\": 1\n}\n");
  EXPECT_EQ(p.text, R"({
  "ClientSettings": [
    {
      "key": "RdpSecurity",
      "Value": true
    }
  ],
  "a": 1
}
)");
  EXPECT_EQ(p.changes, (Changes{"replaced ClientSettings null with an array", "added RdpSecurity entry"}));
}

TEST(PlanRdpSecurity, OtherClientSettingsShapesAreRefused) {
  // sbpam_ssh.json's shape, and anything else that is not an array: a file we do not understand.
  for (const char* shape : {R"({"RdpSecurity": false})", R"("RdpSecurity=true")", "7", "true", "{}"}) {
    const std::string msg = plan_error(std::string(R"({"ClientSettings": )") + shape + "}");
    EXPECT_NE(msg.find("\"ClientSettings\" is a JSON "), std::string::npos) << msg;
    EXPECT_NE(msg.find("expected an array"), std::string::npos) << msg;
  }
  EXPECT_NE(plan_error(R"({"ClientSettings": {}})").find("JSON object"), std::string::npos);
  EXPECT_NE(plan_error(R"({"ClientSettings": "x"})").find("JSON string"), std::string::npos);
}

TEST(PlanRdpSecurity, EveryDuplicateEntryIsSet) {
  const auto p = plan_ok(R"({"ClientSettings": [{"key": "RdpSecurity", "Value": false}, {"key": "X", "Value": 0}, )"
                         R"({"key": "rdpsecurity", "Value": true}, {"key": "RdpSecurity", "Value": "no"}]})");
  EXPECT_EQ(p.text, R"({"ClientSettings": [{"key": "RdpSecurity", "Value": true}, {"key": "X", "Value": 0}, )"
                    R"({"key": "rdpsecurity", "Value": true}, {"key": "RdpSecurity", "Value": true}]})");
  EXPECT_EQ(p.changes, (Changes{"RdpSecurity false -> true (ClientSettings[0])",
                                R"(RdpSecurity "no" -> true (ClientSettings[3]))"}));
  EXPECT_EQ(p.old_value, "false");
}

TEST(PlanRdpSecurity, NonEntriesAreKeptUntouched) {
  const auto p =
      plan_ok(R"({"ClientSettings": [1, "RdpSecurity", null, [], {}, {"Value": false}, {"key": 5, "Value": false}, )"
              R"({"key": "RdpSecurity", "Value": false}]})");
  EXPECT_EQ(p.text,
            R"({"ClientSettings": [1, "RdpSecurity", null, [], {}, {"Value": false}, {"key": 5, "Value": false}, )"
            R"({"key": "RdpSecurity", "Value": true}]})");
  // No entry among them: one is appended, after the last item, in the only sibling object's layout.
  EXPECT_EQ(plan_ok(R"({"ClientSettings": [1, {"key":"A","Value":2}, "z"]})").text,
            R"({"ClientSettings": [1, {"key":"A","Value":2}, "z", {"key":"RdpSecurity","Value":true}]})");
}

TEST(PlanRdpSecurity, EntryWithoutValueGetsOne) {
  const auto p = plan_ok("{\n  \"ClientSettings\": [\n    {\n      \"key\": \"RdpSecurity\"\n    }\n  ]\n}");
  EXPECT_EQ(p.text,
            "{\n  \"ClientSettings\": [\n    {\n      \"key\": \"RdpSecurity\",\n      \"Value\": true\n    }\n  ]\n}");
  EXPECT_EQ(p.changes, (Changes{"RdpSecurity (no Value) -> true"}));
  EXPECT_FALSE(p.old_value);
  EXPECT_EQ(plan_ok(R"({"ClientSettings":[{"key": "RdpSecurity"}]})").text,
            R"({"ClientSettings":[{"key": "RdpSecurity", "Value": true}]})");
}

TEST(PlanRdpSecurity, AmbiguousMembersAreRefused) {
  EXPECT_NE(plan_error(R"({"ClientSettings": [], "clientSettings": []})").find("2 ClientSettings members"),
            std::string::npos);
  EXPECT_NE(plan_error(R"({"ClientSettings": [], "ClientSettings": []})").find("2 ClientSettings members"),
            std::string::npos);
  EXPECT_NE(plan_error(R"({"ClientSettings": [{"key": "RdpSecurity", "Key": "Other", "Value": true}]})")
                .find("ClientSettings[0] has 2 \"key\" members"),
            std::string::npos);
  EXPECT_NE(plan_error(R"({"ClientSettings": [{"key": "RdpSecurity", "Value": true, "value": false}]})")
                .find("2 \"Value\" members"),
            std::string::npos);
  // The same repetition in an entry that is not RdpSecurity is not ours to judge.
  plan_ok(R"({"ClientSettings": [{"key": "A", "Key": "B"}, {"key": "RdpSecurity", "Value": true}]})");
}

TEST(PlanRdpSecurity, BytesOutsideTheEditAreKeptExactly) {
  // Number spellings, escapes, odd spacing and an unrelated duplicate key would all change in a
  // parse-and-dump round trip; the edit must leave them alone.
  const std::string in =
      "{ \"n\" : 1.0, \"e\":1E5 ,\"s\": \"caf\\u00e9 \\/\", \"d\": 1, \"d\": 2,\r\n"
      "  \"ClientSettings\" :[{\"key\":\"RdpSecurity\",\"Value\":false}]  }  \r\n";
  std::string want = in;
  want.replace(want.find("false"), 5, "true");
  EXPECT_EQ(plan_ok(in).text, want);
}

TEST(PlanRdpSecurity, ValueFalseIsPlannedTheSameWay) {
  const auto p = plan_ok(R"({"ClientSettings":[{"key":"RdpSecurity","Value":true}]})", false);
  EXPECT_EQ(p.text, R"({"ClientSettings":[{"key":"RdpSecurity","Value":false}]})");
  EXPECT_EQ(p.changes, (Changes{"RdpSecurity true -> false"}));
  EXPECT_EQ(plan_ok("{}", false).text.find("\"Value\": false") != std::string::npos, true);
}

// ---- Text that is not a proxy configuration: refused, saying why and where ------------------------

TEST(PlanRdpSecurity, InvalidJsonIsRefusedWithAPosition) {
  const std::string trailing = plan_error("{\n  \"a\": 1\n}\nxyz\n");
  EXPECT_NE(trailing.find("not valid JSON at line 4, column 1"), std::string::npos) << trailing;
  EXPECT_NE(trailing.find("text after the end of the JSON document"), std::string::npos) << trailing;

  const std::string comment = plan_error("{\n  // proxy settings\n  \"a\": 1\n}");
  EXPECT_NE(comment.find("line 2, column 3"), std::string::npos) << comment;
  EXPECT_NE(comment.find("comments are not allowed in JSON"), std::string::npos) << comment;
  EXPECT_NE(plan_error("{\"a\": 1 /* x */}").find("comments are not allowed"), std::string::npos);

  EXPECT_NE(plan_error("{\"a\": 1,}").find("not valid JSON at line 1"), std::string::npos);
  EXPECT_NE(plan_error("{\"a\": 1").find("not valid JSON"), std::string::npos);
  EXPECT_NE(plan_error("{\"a\": \"\xC3\"}").find("not valid JSON"), std::string::npos);  // broken UTF-8
}

TEST(PlanRdpSecurity, EmptyAndOtherNonObjectsAreRefused) {
  EXPECT_NE(plan_error("").find("is empty"), std::string::npos);
  EXPECT_NE(plan_error(" \r\n\t").find("is empty"), std::string::npos);
  EXPECT_NE(plan_error(k_bom).find("is empty"), std::string::npos);
  EXPECT_NE(plan_error("[]").find("holds a JSON array at the top level"), std::string::npos);
  EXPECT_NE(plan_error("null").find("holds a JSON null"), std::string::npos);
  EXPECT_NE(plan_error("\xFF\xFE{\0}\0").find("UTF-16"), std::string::npos);
  EXPECT_NE(plan_error(k_bom + k_bom + "{}").find("two UTF-8 byte order marks"), std::string::npos);
  const std::string deep = "{\"a\":" + std::string(200, '[') + std::string(200, ']') + "}";
  EXPECT_NE(plan_error(deep).find("nested more than 64 levels deep at line 1"), std::string::npos);
  EXPECT_NE(plan_error(std::string(k_max_file_bytes + 1, ' ')).find("bytes, more than any proxy"), std::string::npos);
}

TEST(ValidateRdpSecurity, NeedsTheEntryAndEveryTopLevelMember) {
  const std::string good = R"({"a": 1, "ClientSettings": [{"key": "RdpSecurity", "Value": true}]})";
  EXPECT_TRUE(validate_rdp_security(good, true, {"a", "ClientSettings"}).ok());
  EXPECT_FALSE(validate_rdp_security(good, false, {"a"}).ok());
  const auto missing = validate_rdp_security(good, true, {"a", "listenaddress"});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("\"listenaddress\" is missing"), std::string::npos);
  EXPECT_FALSE(validate_rdp_security(R"({"a": 1})", true, {"a"}).ok());
  EXPECT_FALSE(validate_rdp_security("{", true, {}).ok());
}

// ---- The file: backup, atomic replace, refusals, rollback ---------------------------------------

const std::string k_original = k_bom + crlf(R"({
  "listenaddress": "0.0.0.0:4489",
  "ClientSettings": [
    {
      "key": "RdpSecurity",
      "Value": false
    }
  ],
  "startuptimeout": "30s"
}
)");

TimePoint t0() {
  return make_time(2026, 11, 24, std::chrono::hours(10));
}

std::vector<std::string> names_in(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir))
    out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(ApplyRdpSecurity, BacksUpReplacesAndIsIdempotent) {
  TempDir dir;
  const auto p = dir / "sbpam_rdp.json";
  write_file(p, k_original);
  auto r = apply_rdp_security(p, {.value = true, .now = t0()});
  ASSERT_TRUE(r.ok()) << r.error().message;
  std::string want = k_original;
  want.replace(want.find("false"), 5, "true");
  EXPECT_EQ(read_file(p), want);
  EXPECT_TRUE(r->plan.changed);
  EXPECT_EQ(r->original, k_original);
  ASSERT_TRUE(r->backup);
  EXPECT_EQ(r->backup->filename().string(), "sbpam_rdp.json.2026-11-24T10-00-00.000Z.bak");
  EXPECT_EQ(read_file(*r->backup), k_original);

  // Second run: nothing to change, nothing written, no second backup.
  auto again = apply_rdp_security(p, {.value = true, .now = t0() + std::chrono::hours(1)});
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_FALSE(again->plan.changed);
  EXPECT_FALSE(again->backup);
  EXPECT_EQ(read_file(p), want);
  EXPECT_EQ(names_in(dir.path()),
            (std::vector<std::string>{"sbpam_rdp.json", "sbpam_rdp.json.2026-11-24T10-00-00.000Z.bak"}));
}

TEST(ApplyRdpSecurity, MissingFileIsItsOwnError) {
  TempDir dir;
  auto r = apply_rdp_security(dir / "sbpam_rdp.json", {.value = true, .now = t0()});
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(is_missing_file(r.error())) << r.error().message;
  EXPECT_TRUE(fs::is_empty(dir.path()));
  write_file(dir / "bad.json", "{");
  auto bad = apply_rdp_security(dir / "bad.json", {.value = true, .now = t0()});
  ASSERT_FALSE(bad.ok());
  EXPECT_FALSE(is_missing_file(bad.error()));
}

TEST(ApplyRdpSecurity, InvalidJsonIsLeftAsItIs) {
  for (const std::string& text : {std::string(), std::string("{\"a\": 1} trailing"), std::string("{\"a\": 1 // c\n}"),
                                  std::string(R"({"ClientSettings": {"RdpSecurity": false}})")}) {
    TempDir dir;
    const auto p = dir / "sbpam_rdp.json";
    write_file(p, text);
    auto r = apply_rdp_security(p, {.value = true, .now = t0()});
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_NE(r.error().message.find("left as it is"), std::string::npos) << r.error().message;
    EXPECT_EQ(read_file(p), text);
    EXPECT_EQ(names_in(dir.path()), (std::vector<std::string>{"sbpam_rdp.json"}));
  }
}

TEST(ApplyRdpSecurity, ReadOnlyFileIsRefusedAndIntact) {
  // Refused on the permission bits themselves, so this holds when the tests run as root (who could
  // otherwise write anything) and on Windows (the read-only attribute).
  TempDir dir;
  const auto p = dir / "sbpam_rdp.json";
  write_file(p, k_original);
  fs::permissions(p, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
  auto r = apply_rdp_security(p, {.value = true, .now = t0()});
  fs::permissions(p, fs::perms::owner_read | fs::perms::owner_write);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("read-only"), std::string::npos) << r.error().message;
  EXPECT_EQ(read_file(p), k_original);
  EXPECT_EQ(names_in(dir.path()), (std::vector<std::string>{"sbpam_rdp.json"}));
}

TEST(ApplyRdpSecurity, FileThisProcessMayNotWriteIsRefused) {
#if defined(_WIN32)
  GTEST_SKIP() << "POSIX permission bits; Windows has only the read-only attribute (tested above)";
#else
  if (::geteuid() == 0) GTEST_SKIP() << "root ignores permission bits, so the file cannot be made unwritable for it";
  TempDir dir;
  const auto p = dir / "sbpam_rdp.json";
  write_file(p, k_original);
  // A write bit is set (not "read-only"), but not one that applies to us, the owner.
  fs::permissions(p, fs::perms::group_write);
  auto r = apply_rdp_security(p, {.value = true, .now = t0()});
  fs::permissions(p, fs::perms::owner_read | fs::perms::owner_write);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("cannot be opened for writing"), std::string::npos) << r.error().message;
  EXPECT_EQ(read_file(p), k_original);
#endif
}

TEST(ApplyRdpSecurity, DiskFullDuringTheWriteLeavesTheOriginal) {
#if defined(_WIN32)
  GTEST_SKIP() << "uses RLIMIT_FSIZE, which Windows does not have";
#else
  // A real failing write: the kernel refuses to grow any file past RLIMIT_FSIZE (EFBIG, as ENOSPC
  // would). The limit is the original's size, so the backup copy fits and the larger new text does
  // not: the write fails after the backup, the worst moment.
  TempDir dir;
  const auto p = dir / "sbpam_rdp.json";
  const std::string original = "{\n  \"listenaddress\": \"0.0.0.0:4489\"\n}\n";
  write_file(p, original);
  rlimit saved{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &saved), 0);
  rlimit limited = saved;
  limited.rlim_cur = original.size();
  const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);  // EFBIG instead of death
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &limited), 0);
  auto r = apply_rdp_security(p, {.value = true, .now = t0()});
  ::setrlimit(RLIMIT_FSIZE, &saved);
  std::signal(SIGXFSZ, old_handler);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("disk full"), std::string::npos) << r.error().message;
  EXPECT_EQ(read_file(p), original);
  // The backup (a copy of the original) stays; no temporary is left behind.
  EXPECT_EQ(names_in(dir.path()),
            (std::vector<std::string>{"sbpam_rdp.json", "sbpam_rdp.json.2026-11-24T10-00-00.000Z.bak"}));
  EXPECT_EQ(read_file(dir / "sbpam_rdp.json.2026-11-24T10-00-00.000Z.bak"), original);
#endif
}

TEST(ApplyRdpSecurity, BackupThatCannotBeWrittenStopsTheEdit) {
  // The backup's name is taken by a folder: the copy cannot be renamed there, so nothing is edited.
  TempDir dir;
  const auto p = dir / "sbpam_rdp.json";
  write_file(p, k_original);
  fs::create_directory(dir / "sbpam_rdp.json.2026-11-24T10-00-00.000Z.bak");
  auto r = apply_rdp_security(p, {.value = true, .now = t0()});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("cannot back up"), std::string::npos) << r.error().message;
  EXPECT_EQ(read_file(p), k_original);
  EXPECT_EQ(names_in(dir.path()),
            (std::vector<std::string>{"sbpam_rdp.json", "sbpam_rdp.json.2026-11-24T10-00-00.000Z.bak"}));
}

TEST(ApplyRdpSecurity, SymbolicLinkIsRefused) {
  TempDir dir;
  const auto target = dir / "real.json";
  write_file(target, k_original);
  std::error_code ec;
  fs::create_symlink(target, dir / "sbpam_rdp.json", ec);
  if (ec) GTEST_SKIP() << "cannot create a symbolic link here: " << ec.message();
  auto r = apply_rdp_security(dir / "sbpam_rdp.json", {.value = true, .now = t0()});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("symbolic link"), std::string::npos);
  EXPECT_EQ(read_file(target), k_original);
}

TEST(Rollback, RestoresTheOriginalBytesExactly) {
  TempDir dir;
  const auto p = dir / "sbpam_rdp.json";
  write_file(p, k_original);
  auto r = apply_rdp_security(p, {.value = true, .now = t0()});
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_NE(read_file(p), k_original);
  auto st = rollback(*r);
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_EQ(read_file(p), k_original);
  EXPECT_TRUE(rollback(*r).ok());  // twice: already the original
  EXPECT_EQ(read_file(p), k_original);
}

TEST(Rollback, NothingWrittenNothingToUndo) {
  TempDir dir;
  const auto p = dir / "sbpam_rdp.json";
  const std::string set = R"({"ClientSettings":[{"key":"RdpSecurity","Value":true}]})";
  write_file(p, set);
  auto r = apply_rdp_security(p, {.value = true, .now = t0()});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(rollback(*r).ok());
  EXPECT_EQ(read_file(p), set);
}

TEST(Rollback, KeepsAChangeSomeoneElseMadeSince) {
  TempDir dir;
  const auto p = dir / "sbpam_rdp.json";
  write_file(p, k_original);
  auto r = apply_rdp_security(p, {.value = true, .now = t0()});
  ASSERT_TRUE(r.ok());
  const std::string theirs = R"({"listenaddress": "0.0.0.0:5000"})";
  write_file(p, theirs);
  auto st = rollback(*r);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("changed since the edit"), std::string::npos);
  EXPECT_EQ(read_file(p), theirs);
}

TEST(Rollback, RefusesABackupThatNoLongerHoldsTheOriginal) {
  TempDir dir;
  const auto p = dir / "sbpam_rdp.json";
  write_file(p, k_original);
  auto r = apply_rdp_security(p, {.value = true, .now = t0()});
  ASSERT_TRUE(r.ok());
  const std::string edited = read_file(p);
  write_file(*r->backup, "{}");
  auto st = rollback(*r);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("no longer holds the original"), std::string::npos);
  EXPECT_EQ(read_file(p), edited);
}

}  // namespace
}  // namespace negoheal::actions
