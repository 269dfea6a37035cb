#include "actions/remediation/sbpam_rdp.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <exception>
#include <fstream>
#include <system_error>
#include <utility>

#include "actions/files/atomic_file.h"

namespace negoheal::actions {
namespace fs = std::filesystem;

namespace {

using ojson = nlohmann::ordered_json;

constexpr std::string_view k_bom = "\xEF\xBB\xBF";
constexpr std::string_view k_client_settings = "ClientSettings";
constexpr std::string_view k_missing_prefix = "file not found: ";
constexpr std::string_view k_internal = "internal error: ";
constexpr std::size_t k_max_shown = 40;  // characters of an old value quoted in a change line

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

bool is_ws(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

std::string bool_text(bool value) {
  return value ? "true" : "false";
}

std::string line_column(std::string_view text, std::size_t pos) {
  pos = std::min(pos, text.size());
  const auto before = text.substr(0, pos);
  const auto line = 1 + std::count(before.begin(), before.end(), '\n');
  const auto last_nl = before.rfind('\n');
  const auto column = last_nl == std::string_view::npos ? pos + 1 : pos - last_nl;
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

// ---- Locating things in text that the JSON parser has already accepted -------------------------
// nlohmann/json 3.11 reports no positions, and the edit must touch only the bytes it changes, so
// this small scanner finds the spans. It runs only on text the parser accepted; an inconsistency is
// still an error (never an out-of-range read), reported as internal.

struct Span {
  std::size_t begin = 0;
  std::size_t end = 0;
};

struct Member {
  Span name;  // the quoted name token
  Span value;
  std::string decoded;  // the name as a JSON reader sees it (escapes resolved)
};

struct ObjectInfo {
  Span span;
  std::vector<Member> members;
};

struct ArrayInfo {
  Span span;
  std::vector<Span> items;
};

Error scan_error(std::string_view text, std::size_t pos) {
  return make_error(std::string(k_internal) + "unexpected text at " + line_column(text, pos));
}

std::size_t skip_ws(std::string_view text, std::size_t pos) {
  while (pos < text.size() && is_ws(text[pos]))
    ++pos;
  return pos;
}

std::string_view slice(std::string_view text, Span s) {
  return text.substr(s.begin, s.end - s.begin);
}

std::string_view slice(std::string_view text, std::size_t begin, std::size_t end) {
  return text.substr(begin, end - begin);
}

Result<std::size_t> string_end(std::string_view text, std::size_t pos) {
  for (std::size_t i = pos + 1; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
    } else if (text[i] == '"') {
      return i + 1;
    }
  }
  return scan_error(text, pos);
}

// End of the value that starts at `pos`. Iterative: depth is bounded by k_max_depth before any
// scanning, but nothing here recurses anyway.
Result<std::size_t> value_end(std::string_view text, std::size_t pos) {
  if (pos >= text.size()) return scan_error(text, pos);
  const char first = text[pos];
  if (first == '"') return string_end(text, pos);
  if (first == '{' || first == '[') {
    std::size_t depth = 0;
    for (std::size_t i = pos; i < text.size();) {
      const char c = text[i];
      if (c == '"') {
        auto e = string_end(text, i);
        if (!e) return e;
        i = *e;
        continue;
      }
      if (c == '{' || c == '[') ++depth;
      if (c == '}' || c == ']') {
        if (depth == 0) return scan_error(text, i);
        if (--depth == 0) return i + 1;
      }
      ++i;
    }
    return scan_error(text, pos);
  }
  std::size_t i = pos;
  while (i < text.size() && !is_ws(text[i]) && text[i] != ',' && text[i] != ']' && text[i] != '}')
    ++i;
  if (i == pos) return scan_error(text, pos);
  return i;
}

Result<std::string> decode_string(std::string_view token) {
  const ojson s = ojson::parse(token.begin(), token.end(), nullptr, false);
  if (!s.is_string()) return make_error(std::string(k_internal) + "cannot decode " + std::string(token));
  return s.get<std::string>();
}

Result<ObjectInfo> object_at(std::string_view text, std::size_t pos) {
  if (pos >= text.size() || text[pos] != '{') return scan_error(text, pos);
  ObjectInfo obj;
  obj.span.begin = pos;
  std::size_t i = skip_ws(text, pos + 1);
  if (i < text.size() && text[i] == '}') {
    obj.span.end = i + 1;
    return obj;
  }
  while (true) {
    if (i >= text.size() || text[i] != '"') return scan_error(text, i);
    Member m;
    auto name_end = string_end(text, i);
    if (!name_end) return name_end.error();
    m.name = {i, *name_end};
    auto decoded = decode_string(slice(text, m.name));
    if (!decoded) return decoded.error();
    m.decoded = std::move(*decoded);
    const std::size_t colon = skip_ws(text, m.name.end);
    if (colon >= text.size() || text[colon] != ':') return scan_error(text, colon);
    m.value.begin = skip_ws(text, colon + 1);
    auto end = value_end(text, m.value.begin);
    if (!end) return end.error();
    m.value.end = *end;
    obj.members.push_back(std::move(m));
    const std::size_t next = skip_ws(text, *end);
    if (next < text.size() && text[next] == '}') {
      obj.span.end = next + 1;
      return obj;
    }
    if (next >= text.size() || text[next] != ',') return scan_error(text, next);
    i = skip_ws(text, next + 1);
  }
}

Result<ArrayInfo> array_at(std::string_view text, std::size_t pos) {
  if (pos >= text.size() || text[pos] != '[') return scan_error(text, pos);
  ArrayInfo arr;
  arr.span.begin = pos;
  std::size_t i = skip_ws(text, pos + 1);
  if (i < text.size() && text[i] == ']') {
    arr.span.end = i + 1;
    return arr;
  }
  while (true) {
    auto end = value_end(text, i);
    if (!end) return end.error();
    arr.items.push_back({i, *end});
    const std::size_t next = skip_ws(text, *end);
    if (next < text.size() && text[next] == ']') {
      arr.span.end = next + 1;
      return arr;
    }
    if (next >= text.size() || text[next] != ',') return scan_error(text, next);
    i = skip_ws(text, next + 1);
  }
}

std::vector<const Member*> members_named(const ObjectInfo& obj, std::string_view name) {
  std::vector<const Member*> out;
  for (const auto& m : obj.members) {
    if (iequals(m.decoded, name)) out.push_back(&m);
  }
  return out;
}

// ---- Parsing ------------------------------------------------------------------------------------

struct Parsed {
  bool bom = false;
  std::string_view body;  // the text after the BOM
  ojson doc;
};

// Brackets outside strings, counted before the parser runs: the parser is iterative, but
// comparing and printing its result recurse, and no proxy file nests anywhere near this deep.
Status check_depth(std::string_view body) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > k_max_depth) {
        return make_error("nested more than " + std::to_string(k_max_depth) + " levels deep at " +
                          line_column(body, i));
      }
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
  return {};
}

std::string describe_parse_error(std::string_view body, const ojson::parse_error& e) {
  // what(): "[json.exception.parse_error.101] parse error at line 2, column 3: syntax error ..."
  std::string what = e.what();
  constexpr std::string_view k_lead = "parse error ";
  if (const auto at = what.find(k_lead); at != std::string::npos) what = what.substr(at + k_lead.size());
  std::string msg = "not valid JSON " + what;
  if (e.byte >= 1 && e.byte <= body.size() && body[e.byte - 1] == '/') {
    msg += " (comments are not allowed in JSON)";
  } else if (what.find("expected end of input") != std::string::npos) {
    msg += " (text after the end of the JSON document)";
  }
  return msg;
}

Result<Parsed> parse_document(std::string_view text) {
  if (text.size() > k_max_file_bytes) {
    return make_error("is " + std::to_string(text.size()) + " bytes, more than any proxy configuration (limit " +
                      std::to_string(k_max_file_bytes) + ")");
  }
  if (text.starts_with("\xFF\xFE") || text.starts_with("\xFE\xFF")) {
    return make_error("is UTF-16 (it starts with a UTF-16 byte order mark); the proxy's file is UTF-8");
  }
  Parsed p;
  p.bom = text.starts_with(k_bom);
  p.body = p.bom ? text.substr(k_bom.size()) : text;
  // The parser would skip this second mark itself, and the edit would then keep a file that starts
  // with two of them.
  if (p.body.starts_with(k_bom)) return make_error("starts with two UTF-8 byte order marks");
  if (skip_ws(p.body, 0) == p.body.size()) return make_error("is empty (not valid JSON)");
  if (auto st = check_depth(p.body); !st) return st.error();
  try {
    p.doc = ojson::parse(p.body.begin(), p.body.end(), nullptr, true, /*ignore_comments=*/false);
  } catch (const ojson::parse_error& e) {
    return make_error(describe_parse_error(p.body, e));
  } catch (const ojson::exception& e) {
    return make_error(std::string("not valid JSON: ") + e.what());
  }
  if (!p.doc.is_object()) {
    return make_error(std::string("holds a JSON ") + p.doc.type_name() + " at the top level, expected an object");
  }
  return p;
}

// ---- Writing new text in the file's own style ---------------------------------------------------

struct Style {
  std::string nl = "\n";
  std::string unit = "  ";   // one level of indentation
  std::string colon = ": ";  // between a member name and its value
  bool multiline = false;    // the file has line breaks at all
};

bool has_newline(std::string_view s) {
  return s.find('\n') != std::string_view::npos;
}

// The indentation of the line `pos` is on.
std::string line_indent(std::string_view text, std::size_t pos) {
  const auto nl = text.substr(0, pos).rfind('\n');
  std::size_t i = nl == std::string_view::npos ? 0 : nl + 1;
  const std::size_t start = i;
  while (i < pos && (text[i] == ' ' || text[i] == '\t'))
    ++i;
  return std::string(text.substr(start, i - start));
}

Style detect_style(std::string_view body, const ObjectInfo& root) {
  Style s;
  const auto nl = body.find('\n');
  s.multiline = nl != std::string_view::npos;
  if (s.multiline && nl > 0 && body[nl - 1] == '\r') s.nl = "\r\n";
  if (root.members.empty()) return s;
  const Member& first = root.members.front();
  if (const auto colon = slice(body, first.name.end, first.value.begin); !has_newline(colon)) s.colon = colon;
  // The first member's indentation is one level when the top-level brace starts its line.
  const auto lead = slice(body, root.span.begin + 1, first.name.begin);
  if (has_newline(lead)) {
    const std::string indent = line_indent(body, first.name.begin);
    const bool spaces = !indent.empty() && indent.find_first_not_of(' ') == std::string::npos;
    const bool tabs = !indent.empty() && indent.find_first_not_of('\t') == std::string::npos;
    if ((spaces || tabs) && indent.size() <= 8 && line_indent(body, root.span.begin).empty()) s.unit = indent;
  }
  return s;
}

// How an object writes its members: what follows "{", what goes between a name and its value and
// between members, what precedes "}".
struct Layout {
  std::string open, colon, comma, close;
};

Layout pretty_layout(const Style& s, const std::string& base) {
  return {s.nl + base + s.unit, s.colon, "," + s.nl + base + s.unit, s.nl + base};
}

Layout compact_layout(const Style& s) {
  return {"", s.colon, s.colon.ends_with(' ') ? ", " : ",", ""};
}

// The layout of an existing object with at least one member, to copy for a sibling.
Layout layout_of(std::string_view body, const ObjectInfo& obj, const Style& s) {
  const Member& first = obj.members.front();
  Layout l;
  l.open = slice(body, obj.span.begin + 1, first.name.begin);
  l.colon = slice(body, first.name.end, first.value.begin);
  if (has_newline(l.colon)) l.colon = s.colon;
  if (obj.members.size() >= 2) {
    l.comma = slice(body, first.value.end, obj.members[1].name.begin);
  } else {
    l.comma = "," + (has_newline(l.open) ? l.open : compact_layout(s).comma.substr(1));
  }
  l.close = slice(body, obj.members.back().value.end, obj.span.end - 1);
  return l;
}

std::string quoted(std::string_view s) {
  return "\"" + std::string(s) + "\"";
}

std::string render_entry(const Layout& l, bool value) {
  return "{" + l.open + quoted("key") + l.colon + quoted(k_rdp_security_key) + l.comma + quoted("Value") + l.colon +
         bool_text(value) + l.close + "}";
}

// A new ClientSettings array holding the entry; `base` is the indentation of the line it starts on.
std::string render_array(const Style& s, bool pretty, const std::string& base, bool value) {
  if (!pretty) return "[" + render_entry(compact_layout(s), value) + "]";
  const std::string inner = base + s.unit;
  return "[" + s.nl + inner + render_entry(pretty_layout(s, inner), value) + s.nl + base + "]";
}

struct Edit {
  Span replace;  // begin == end: an insertion
  std::string text;
};

// Where a new member or item goes (after the last one of a non-empty object or array) and how it is
// written: separated like the last two, or like the first from its bracket.
struct Slot {
  std::size_t at = 0;
  std::string sep;      // "," and the whitespace before the new one
  std::string colon;    // objects: between its name and its value
  bool pretty = false;  // it starts a line of its own
  std::string base;     // the indentation of that line
};

std::string indent_after_last_newline(std::string_view ws) {
  const auto nl = ws.rfind('\n');
  std::string out;
  for (const char c : ws.substr(nl == std::string_view::npos ? ws.size() : nl + 1)) {
    if (c == ' ' || c == '\t') out += c;
  }
  return out;
}

Slot slot_after(std::string_view body, std::size_t open, std::optional<Span> previous, Span last, std::string colon) {
  Slot slot;
  slot.at = last.end;
  slot.colon = std::move(colon);
  if (previous) {
    slot.sep = slice(body, previous->end, last.begin);
  } else if (const auto lead = slice(body, open + 1, last.begin); has_newline(lead)) {
    slot.sep = "," + std::string(lead);
  } else {
    slot.sep = slot.colon.ends_with(' ') ? ", " : ",";
  }
  slot.pretty = has_newline(slot.sep);
  slot.base = indent_after_last_newline(slot.sep);
  return slot;
}

Slot after_last_member(std::string_view body, const ObjectInfo& obj, const Style& s) {
  const Member& last = obj.members.back();
  std::string colon(slice(body, last.name.end, last.value.begin));
  if (has_newline(colon)) colon = s.colon;
  std::optional<Span> previous;
  if (obj.members.size() >= 2) previous = obj.members[obj.members.size() - 2].value;
  return slot_after(body, obj.span.begin, previous, {last.name.begin, last.value.end}, std::move(colon));
}

Slot after_last_item(std::string_view body, const ArrayInfo& arr, const Style& s) {
  std::optional<Span> previous;
  if (arr.items.size() >= 2) previous = arr.items[arr.items.size() - 2];
  return slot_after(body, arr.span.begin, previous, arr.items.back(), s.colon);
}

ojson new_entry(bool value) {
  ojson e = ojson::object();
  e["key"] = std::string(k_rdp_security_key);
  e["Value"] = value;
  return e;
}

std::string shown(const ojson& v) {
  std::string s = v.dump(-1, ' ', false, ojson::error_handler_t::replace);
  if (s.size() > k_max_shown) s = s.substr(0, k_max_shown - 3) + "...";
  return s;
}

std::string item_name(std::size_t i) {
  return std::string(k_client_settings) + "[" + std::to_string(i) + "]";
}

// Sets every RdpSecurity entry of the ClientSettings array at `cs`, or appends one. `expected` is
// the parsed array, edited the same way for the self-check.
Status plan_array(std::string_view body, const Member& cs, const Style& style, bool value, ojson& expected,
                  std::vector<Edit>& edits, EditPlan& plan) {
  auto arr = array_at(body, cs.value.begin);
  if (!arr) return arr.error();
  std::vector<std::pair<std::size_t, ObjectInfo>> matches;
  for (std::size_t i = 0; i < arr->items.size(); ++i) {
    if (body[arr->items[i].begin] != '{') continue;  // not an entry: kept as it is
    auto obj = object_at(body, arr->items[i].begin);
    if (!obj) return obj.error();
    const auto keys = members_named(*obj, "key");
    const bool is_match = std::any_of(keys.begin(), keys.end(), [&](const Member* k) {
      const auto token = slice(body, k->value);
      const ojson kv = ojson::parse(token.begin(), token.end(), nullptr, false);
      return kv.is_string() && iequals(kv.get_ref<const std::string&>(), k_rdp_security_key);
    });
    if (!is_match) continue;
    if (keys.size() > 1) {
      return make_error(item_name(i) + " has " + std::to_string(keys.size()) +
                        " \"key\" members (the names repeat or differ only in case): which one the proxy reads "
                        "is unclear");
    }
    if (const auto values = members_named(*obj, "value"); values.size() > 1) {
      return make_error(item_name(i) + " (RdpSecurity) has " + std::to_string(values.size()) +
                        " \"Value\" members (the names repeat or differ only in case): which one the proxy reads "
                        "is unclear");
    }
    matches.emplace_back(i, std::move(*obj));
  }

  const std::string v = bool_text(value);
  for (std::size_t n = 0; n < matches.size(); ++n) {
    const auto& [i, obj] = matches[n];
    const std::string where = matches.size() > 1 ? " (" + item_name(i) + ")" : "";
    const auto values = members_named(obj, "value");
    if (values.empty()) {
      const Slot slot = after_last_member(body, obj, style);
      edits.push_back({{slot.at, slot.at}, slot.sep + quoted("Value") + slot.colon + v});
      expected[i]["Value"] = value;
      plan.changes.push_back("RdpSecurity (no Value) -> " + v + where);
      continue;
    }
    const Member& vm = *values.front();
    const auto old_text = slice(body, vm.value);
    if (n == 0) plan.old_value = std::string(old_text);
    const ojson old = ojson::parse(old_text.begin(), old_text.end(), nullptr, false);
    if (old.is_boolean() && old.get<bool>() == value) continue;
    edits.push_back({vm.value, v});
    expected[i][vm.decoded] = value;
    plan.changes.push_back("RdpSecurity " + shown(old) + " -> " + v + where);
  }
  if (!matches.empty()) return {};

  if (arr->items.empty()) {
    const std::string base = line_indent(body, arr->span.begin);
    const std::string inner = base + style.unit;
    edits.push_back({{arr->span.begin + 1, arr->span.end - 1},
                     style.multiline
                         ? style.nl + inner + render_entry(pretty_layout(style, inner), value) + style.nl + base
                         : render_entry(compact_layout(style), value)});
  } else {
    const Slot slot = after_last_item(body, *arr, style);
    // A sibling entry shows how this file writes them; copy the nearest one.
    Layout layout = slot.pretty ? pretty_layout(style, slot.base) : compact_layout(style);
    for (std::size_t k = arr->items.size(); k-- > 0;) {
      if (body[arr->items[k].begin] != '{') continue;
      auto obj = object_at(body, arr->items[k].begin);
      if (!obj) return obj.error();
      if (obj->members.empty()) continue;
      layout = layout_of(body, *obj, style);
      break;
    }
    edits.push_back({{slot.at, slot.at}, slot.sep + render_entry(layout, value)});
  }
  expected.push_back(new_entry(value));
  plan.changes.emplace_back("added RdpSecurity entry");
  return {};
}

Result<EditPlan> plan_unguarded(std::string_view text, bool value) {
  auto parsed = parse_document(text);
  if (!parsed) return parsed.error();
  const std::string_view body = parsed->body;
  auto root = object_at(body, skip_ws(body, 0));
  if (!root) return root.error();
  const Style style = detect_style(body, *root);
  ojson expected = parsed->doc;
  std::vector<Edit> edits;
  EditPlan plan;

  const auto cs = members_named(*root, k_client_settings);
  if (cs.size() > 1) {
    std::string names;
    for (const Member* m : cs)
      names += (names.empty() ? "" : ", ") + std::string(slice(body, m->name));
    return make_error("has " + std::to_string(cs.size()) + " ClientSettings members (" + names +
                      "): which one the proxy reads is unclear");
  }
  if (cs.empty()) {
    if (root->members.empty()) {
      // Nothing to imitate: the layout the proxy's own files use.
      const std::string base = line_indent(body, root->span.begin);
      const std::string inner = base + style.unit;
      edits.push_back({{root->span.begin + 1, root->span.end - 1},
                       style.nl + inner + quoted(k_client_settings) + style.colon +
                           render_array(style, true, inner, value) + style.nl + base});
    } else {
      const Slot slot = after_last_member(body, *root, style);
      edits.push_back(
          {{slot.at, slot.at},
           slot.sep + quoted(k_client_settings) + slot.colon + render_array(style, slot.pretty, slot.base, value)});
    }
    expected[std::string(k_client_settings)] = ojson::array({new_entry(value)});
    plan.changes = {"added ClientSettings", "added RdpSecurity entry"};
  } else {
    const Member& m = *cs.front();
    ojson& current = expected.at(m.decoded);
    if (current.is_null()) {
      edits.push_back({m.value, render_array(style, style.multiline, line_indent(body, m.name.begin), value)});
      current = ojson::array({new_entry(value)});
      plan.changes = {"replaced ClientSettings null with an array", "added RdpSecurity entry"};
    } else if (!current.is_array()) {
      return make_error(std::string(slice(body, m.name)) + " is a JSON " + current.type_name() +
                        ", expected an array of {\"key\": ..., \"Value\": ...} entries: a file this fix does not "
                        "understand");
    } else if (auto st = plan_array(body, m, style, value, current, edits, plan); !st) {
      return st.error();
    }
  }

  if (edits.empty()) {
    plan.text = std::string(text);
    plan.changes = {"already set: no change"};
    return plan;
  }
  std::sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) { return a.replace.begin < b.replace.begin; });
  std::string out;
  out.reserve(body.size() + 256);
  std::size_t pos = 0;
  for (const Edit& e : edits) {
    if (e.replace.begin < pos || e.replace.end < e.replace.begin || e.replace.end > body.size()) {
      return make_error(std::string(k_internal) + "overlapping edits");
    }
    out.append(body.substr(pos, e.replace.begin - pos));
    out += e.text;
    pos = e.replace.end;
  }
  out.append(body.substr(pos));
  // The text edit must say exactly what the document edit says: same members, same order, nothing
  // else touched. A scanner bug is refused here instead of reaching the proxy.
  const ojson again = ojson::parse(out.begin(), out.end(), nullptr, false, /*ignore_comments=*/false);
  if (again.is_discarded() || again != expected) {
    return make_error(std::string(k_internal) + "the edited text does not match the intended edit");
  }
  plan.text = (parsed->bom ? std::string(k_bom) : std::string()) + out;
  if (plan.text.size() > k_max_file_bytes) return make_error("would grow beyond the size limit");
  plan.changed = true;
  return plan;
}

// Refuses files this process should not replace; see apply_rdp_security.
Status check_editable(const fs::path& path) {
  std::error_code ec;
  const auto link = fs::symlink_status(path, ec);
  if (link.type() == fs::file_type::not_found) return make_error(std::string(k_missing_prefix) + path.string());
  if (ec) return make_error("cannot examine " + path.string() + ": " + ec.message());
  if (fs::is_symlink(link)) {
    return make_error(path.string() +
                      " is a symbolic link: replacing it would turn the link into a plain file (point "
                      "negoheal at its target)");
  }
  if (!fs::is_regular_file(link)) return make_error(path.string() + " is not a regular file");
  constexpr auto k_any_write = fs::perms::owner_write | fs::perms::group_write | fs::perms::others_write;
  if ((link.permissions() & k_any_write) == fs::perms::none) {
    return make_error(path.string() + " is read-only (no write permission): left as it is");
  }
  // Replacing goes through a rename, which on POSIX only needs the folder: without this check a
  // file we may not write would be swapped for one we own.
  if (const std::fstream probe(path, std::ios::binary | std::ios::in | std::ios::out); !probe) {
    return make_error(path.string() + " cannot be opened for writing by this process: left as it is");
  }
  return {};
}

}  // namespace

Result<EditPlan> plan_rdp_security(std::string_view file_text, bool value) {
  try {
    return plan_unguarded(file_text, value);
  } catch (const std::exception& e) {
    return make_error(std::string(k_internal) + e.what());
  }
}

Status validate_rdp_security(std::string_view file_text, bool value,
                             const std::vector<std::string>& required_top_level) {
  auto plan = plan_rdp_security(file_text, value);
  if (!plan) return plan.error();
  if (plan->changed) {
    std::string what;
    for (const auto& c : plan->changes)
      what += (what.empty() ? "" : "; ") + c;
    return make_error("RdpSecurity is not " + bool_text(value) + " (still needed: " + what + ")");
  }
  try {
    auto parsed = parse_document(file_text);
    if (!parsed) return parsed.error();
    for (const auto& name : required_top_level) {
      if (!parsed->doc.contains(name)) return make_error("top-level member \"" + name + "\" is missing");
    }
  } catch (const std::exception& e) {
    return make_error(std::string(k_internal) + e.what());
  }
  return {};
}

bool is_missing_file(const Error& error) {
  return error.message.starts_with(k_missing_prefix);
}

Result<EditOutcome> apply_rdp_security(const fs::path& path, const EditOptions& options) {
  if (auto st = check_editable(path); !st) return st.error();
  auto original = read_whole_file(path);
  if (!original) return make_error(original.error().message + ": left as it is");
  auto plan = plan_rdp_security(*original, options.value);
  if (!plan) return make_error(path.string() + " " + plan.error().message + ": left as it is");
  EditOutcome outcome{path, std::move(*plan), std::move(*original), std::nullopt};
  if (!outcome.plan.changed) return outcome;

  std::vector<std::string> names;
  try {
    auto parsed = parse_document(outcome.original);
    if (!parsed) return parsed.error();
    for (const auto& item : parsed->doc.items())
      names.push_back(item.key());
  } catch (const std::exception& e) {
    return make_error(std::string(k_internal) + e.what());
  }
  AtomicWriteOptions write{.backup = true, .now = options.now, .validate = [&](std::string_view back) {
                             return validate_rdp_security(back, options.value, names);
                           }};
  auto written = write_file_atomically(path, outcome.plan.text, write);
  if (!written) return written.error();
  outcome.backup = written->backup;

  // The backup is what the rename replaced. If it is not what the plan was made from, someone wrote
  // the file between the read and the write: put their version back rather than lose it.
  if (outcome.backup) {
    auto saved = read_whole_file(*outcome.backup);
    if (saved && *saved != outcome.original) {
      auto restored = write_file_atomically(path, *saved, {.backup = false, .now = options.now, .validate = {}});
      return make_error(path.string() + " changed while it was being edited; " +
                        (restored ? std::string("restored the changed version, try again")
                                  : "restoring the changed version failed (" + restored.error().message +
                                        "); it is in " + outcome.backup->string()));
    }
  }
  return outcome;
}

Status rollback(const EditOutcome& outcome) {
  if (!outcome.backup) return {};
  const std::string where = outcome.path.string();
  auto current = read_whole_file(outcome.path);
  if (!current) return current.error();
  if (*current == outcome.original) return {};
  if (*current != outcome.plan.text) {
    return make_error(where + " changed since the edit: kept as it is (the original is in " + outcome.backup->string() +
                      ")");
  }
  if (auto st = check_editable(outcome.path); !st) return st;
  auto saved = read_whole_file(*outcome.backup);
  if (!saved) return make_error(saved.error().message + ": " + where + " left as edited");
  if (*saved != outcome.original) {
    return make_error(outcome.backup->string() + " no longer holds the original bytes: " + where + " left as edited");
  }
  const AtomicWriteOptions write{.backup = false, .now = {}, .validate = [&](std::string_view back) -> Status {
                                   if (back == outcome.original) return {};
                                   return make_error("the restored bytes differ from the original");
                                 }};
  auto written = write_file_atomically(outcome.path, *saved, write);
  if (!written) return written.error();
  return {};
}

}  // namespace negoheal::actions
