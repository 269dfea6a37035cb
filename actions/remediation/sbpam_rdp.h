#pragma once
// The proxy-side fix (`proxy-rdp-security`, DOMAIN §1 fix 3): in the NPS proxy's sbpam_rdp.json make
// `ClientSettings` hold {"key":"RdpSecurity","Value":true}, so its FreeRDP client may fall back to
// standard RDP security when a target offers nothing else. The file belongs to the proxy and to
// Windows admins who diff it, so the edit is surgical: the bytes that are not part of the change stay
// exactly as they were (key order, spacing, number spelling, escapes, duplicate keys, line endings,
// the UTF-8 BOM). Inserted text copies the file's own style: its line ending (CRLF in, CRLF out), its
// indentation (read from the surrounding lines; 2 spaces when there is nothing to copy), its
// `"name": value` spacing, and the layout of a sibling ClientSettings entry when there is one.
//
// `ClientSettings` here is an ARRAY of {"key": ..., "Value": ...}; sbpam_ssh.json's ClientSettings is
// an object and is not handled here (DOMAIN §2: never share one shape between the two).
//
// Decisions for the shapes the proxy's own file never has:
//   - not JSON (comments, trailing garbage, empty, UTF-16, nested deeper than k_max_depth): refused;
//     the error says where (line, column) and why. Nothing is written.
//   - top level not an object: refused.
//   - `ClientSettings` missing: added as the last top-level member, holding the entry.
//   - `ClientSettings` null: replaced by an array holding the entry (null carries no entries to
//     lose, and it is what a serializer writes for an empty list).
//   - `ClientSettings` an object, string, number or boolean: refused. The proxy's shape is an array; a
//     different one means a file we do not understand, and converting it would be a guess.
//   - member names are matched case-insensitively (the top-level "clientsettings", an entry's "Key"
//     or "KEY", "value"), as the proxy's deserializer does; their spelling is kept. Two members whose
//     names differ only in case (or repeat) where the edit needs one are refused as ambiguous.
//   - the entry's key value matches "RdpSecurity" case-insensitively ("rdpsecurity" is updated, not
//     duplicated); a key that is not a string never matches.
//   - a matching entry's Value that is anything but the JSON boolean (the string "false", "true", 0,
//     null) is replaced by the boolean: the documented shape is `"Value":true`. A matching entry with
//     no Value member gets "Value" appended.
//   - several matching entries: every one is set. Whichever one the proxy reads wins, and it must not
//     be a stale `false`; deleting entries would drop something the admin wrote.
//   - array items that are not objects, and objects without a key member: kept untouched.
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"

namespace negoheal::actions {

inline constexpr std::string_view k_rdp_security_key = "RdpSecurity";
inline constexpr std::size_t k_max_depth = 64;                         // a proxy config nests 3 deep
inline constexpr std::size_t k_max_file_bytes = std::size_t{1} << 20;  // it is a few hundred bytes

struct EditPlan {
  std::string text;  // the whole new file; byte-identical to the input when !changed
  bool changed = false;
  // What the edit does, for the audit row, in order: "added ClientSettings", "added RdpSecurity
  // entry", "RdpSecurity false -> true", ...; {"already set: no change"} when !changed.
  std::vector<std::string> changes;
  // The first matching entry's Value as the file wrote it ("false", "\"false\""); nullopt when
  // there was no entry or it had no Value.
  std::optional<std::string> old_value;
};

// Pure: text in, plan out. Accepts UTF-8 with or without a BOM. Errors say why nothing can be
// changed; an error that starts with "internal error" is a bug (the edited text failed the
// self-check against the intended edit).
Result<EditPlan> plan_rdp_security(std::string_view file_text, bool value = true);

// Checks that `file_text` already has the entry with `value` and every member named in
// `required_top_level` (decoded names, as in the file): what apply verifies after writing.
Status validate_rdp_security(std::string_view file_text, bool value,
                             const std::vector<std::string>& required_top_level);

struct EditOptions {
  bool value = true;  // true heals; false is the proxy's failing setting, for tests and a manual revert
  TimePoint now{};    // names the backup "<file>.<UTC timestamp>.bak"; injected
};

struct EditOutcome {
  std::filesystem::path path;
  EditPlan plan;
  std::string original;                         // the bytes read before the edit
  std::optional<std::filesystem::path> backup;  // set only when the file was rewritten
};

// Reads `path`, plans, and when something changes writes a timestamped backup, replaces the file
// atomically, re-reads and validates it (write_file_atomically restores the backup when that
// fails). Nothing is written when the plan changes nothing. Refuses, without writing, a file that
// is read-only (no write permission bit: the admin's "do not touch", honoured even when running as
// root or SYSTEM), that this process cannot open for writing, a symbolic link, or anything the
// plan refuses. If the file changed between the read and the write (the backup is not what was
// read), that version is put back and the edit reported as failed. A missing file is an error for
// which is_missing_file() is true: the caller creates the proxy's default
// (`sbpam-proxy.exe cfg -c sbpam_rdp`) and applies again.
Result<EditOutcome> apply_rdp_security(const std::filesystem::path& path, const EditOptions& options);

bool is_missing_file(const Error& error);

// Puts the original bytes back from the backup, atomically, and verifies them. A no-op when the
// edit wrote nothing or the file already holds the original. Refuses when the file no longer holds
// what the edit wrote (someone changed it since: theirs is kept) or the backup no longer holds the
// original bytes.
Status rollback(const EditOutcome& outcome);

}  // namespace negoheal::actions
