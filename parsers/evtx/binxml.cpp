#include "parsers/evtx/binxml.h"

#include <utility>

#include "parsers/evtx/bytes.h"
#include "parsers/evtx/text.h"

namespace negoheal::parsers::evtx {
namespace {

namespace tok {
inline constexpr std::uint8_t eof = 0x00, open_start = 0x01, close_start = 0x02, close_empty = 0x03, end_element = 0x04,
                              value = 0x05, attribute = 0x06, cdata = 0x07, char_ref = 0x08, entity_ref = 0x09,
                              pi_target = 0x0a, pi_data = 0x0b, template_instance = 0x0c, normal_subst = 0x0d,
                              optional_subst = 0x0e, fragment_header = 0x0f, more_flag = 0x40;
}  // namespace tok

std::string hex(std::size_t v) {
  static constexpr char k_digits[] = "0123456789abcdef";
  std::string s;
  do {
    s.insert(s.begin(), k_digits[v & 0xF]);
    v >>= 4;
  } while (v != 0);
  return "0x" + s;
}

Error at(std::size_t offset, std::string_view what) {
  return make_error(std::string(what) + " at chunk offset " + hex(offset));
}

std::string entity_text(std::string_view name) {
  if (name == "amp") return "&";
  if (name == "lt") return "<";
  if (name == "gt") return ">";
  if (name == "quot") return "\"";
  if (name == "apos") return "'";
  return "&" + std::string(name) + ";";  // unknown entities are kept as written
}

void append_text_piece(std::vector<Piece>& pieces, std::string_view text, Piece::Kind kind = Piece::Kind::text) {
  if (kind == Piece::Kind::text && !pieces.empty() && pieces.back().kind == Piece::Kind::text) {
    pieces.back().text += text;
    return;
  }
  Piece p;
  p.kind = kind;
  p.text = std::string(text);
  pieces.push_back(std::move(p));
}

}  // namespace

// Reads tokens from [pos_, end_) of the chunk. `in_template_` selects the element layout with a
// dependency id (template definitions) as the preferred one.
class BinXmlCursor {
 public:
  BinXmlCursor(ChunkParser& parser, std::size_t pos, std::size_t end, bool in_template)
      : p_(parser),
        chunk_(parser.chunk_),
        pos_(pos),
        end_(end < chunk_.size() ? end : chunk_.size()),
        in_template_(in_template) {}

  // [fragment header | PI]* (element | template instance) [EOF]
  Status parse_fragment(Document& doc, int depth) {
    if (depth > k_max_depth) return at(pos_, "binary XML nested too deeply");
    bool have_root = false;
    while (pos_ < end_) {
      const auto t = byte(pos_);
      if (t == tok::eof) {
        ++pos_;
        break;
      }
      if (t == tok::fragment_header) {
        if (!skip(4)) return at(pos_, "truncated fragment header");
        continue;
      }
      if (have_root) break;  // what follows the root (padding, a size copy) is not ours to read
      if (t == tok::pi_target) {
        auto st = parse_pi(doc.top);
        if (!st) return st;
      } else if ((t & ~tok::more_flag) == tok::open_start) {
        auto idx = parse_element(doc, depth + 1);
        if (!idx) return idx.error();
        doc.top.push_back(element_piece(*idx));
        have_root = true;
      } else if (t == tok::template_instance && !in_template_) {
        auto st = parse_instance(doc, doc.top, depth + 1);
        if (!st) return st;
        have_root = true;
      } else {
        return at(pos_, "unexpected token " + hex(t) + " where a fragment was expected");
      }
    }
    if (!have_root) return at(pos_, "binary XML without a root element");
    return {};
  }

 private:
  [[nodiscard]] std::uint8_t byte(std::size_t at_pos) const { return static_cast<std::uint8_t>(chunk_[at_pos]); }
  [[nodiscard]] std::string_view bounded() const { return chunk_.substr(0, end_); }

  bool skip(std::size_t n) {
    if (end_ - pos_ < n) return false;
    pos_ += n;
    return true;
  }
  template <class T>
  bool read(T& out) {
    const auto v = read_le<T>(bounded(), pos_);
    if (!v) return false;
    out = *v;
    pos_ += sizeof(T);
    return true;
  }

  static Piece element_piece(std::uint32_t idx) {
    Piece p;
    p.kind = Piece::Kind::element;
    p.index = idx;
    return p;
  }

  // A name reference: inline (offset == where we are, then the name follows) or a back reference.
  Result<std::string> read_name() {
    std::uint32_t off = 0;
    if (!read(off)) return at(pos_, "truncated name offset");
    auto name = p_.name_at(off);
    if (!name) return name;
    if (off == pos_) {
      const auto chars = load_le<std::uint16_t>(chunk_, off + 6);
      if (!skip(8 + 2 * static_cast<std::size_t>(chars) + 2)) return at(pos_, "inline name runs past its container");
    }
    return name;
  }

  // Elements outside template definitions (forwarded-event files) have no dependency id. Tell the
  // layouts apart by where the name offset points: to the inline name, or back to a valid name.
  Result<bool> has_dependency_id(std::size_t p) {
    const auto off_with = read_le<std::uint32_t>(bounded(), p + 6);
    const auto off_without = read_le<std::uint32_t>(bounded(), p + 4);
    if (off_with && *off_with == p + 10) return true;
    if (off_without && *off_without == p + 8) return false;
    const auto valid_back = [&](std::optional<std::uint32_t> off) { return off && *off < p && p_.name_at(*off).ok(); };
    const bool with_ok = valid_back(off_with), without_ok = valid_back(off_without);
    if (with_ok && (in_template_ || !without_ok)) return true;
    if (without_ok) return false;
    return at(p, "element start with no valid name offset");
  }

  Result<std::uint32_t> parse_element(Document& doc, int depth) {
    if (depth > k_max_depth) return at(pos_, "elements nested too deeply");
    const auto t = byte(pos_++);
    auto dep = has_dependency_id(pos_);
    if (!dep) return dep.error();
    if (*dep && !skip(2)) return at(pos_, "truncated element start");
    std::uint32_t data_size = 0;
    if (!read(data_size)) return at(pos_, "truncated element start");
    auto name = read_name();
    if (!name) return name.error();
    Element el;
    el.name = std::move(*name);
    if ((t & tok::more_flag) != 0) {
      std::uint32_t list_size = 0;
      if (!read(list_size)) return at(pos_, "truncated attribute list");
      while (pos_ < end_ && (byte(pos_) & ~tok::more_flag) == tok::attribute) {
        ++pos_;
        Attribute a;
        auto an = read_name();
        if (!an) return an.error();
        a.name = std::move(*an);
        auto st = parse_values(a.value);
        if (!st) return st.error();
        el.attributes.push_back(std::move(a));
      }
    }
    if (pos_ >= end_) return at(pos_, "element '" + el.name + "' truncated");
    const auto close = byte(pos_++);
    if (close == tok::close_empty) {
      el.empty_tag = true;
    } else if (close == tok::close_start) {
      auto st = parse_content(doc, el.content, depth);
      if (!st) return st.error();
    } else {
      return at(pos_ - 1, "unexpected token " + hex(close) + " in start tag of '" + el.name + "'");
    }
    doc.elements.push_back(std::move(el));
    return static_cast<std::uint32_t>(doc.elements.size() - 1);
  }

  // Attribute values: text, character and entity references, substitutions (until anything else).
  Status parse_values(std::vector<Piece>& out) {
    while (pos_ < end_) {
      const auto t = byte(pos_);
      const auto base = static_cast<std::uint8_t>(t & ~tok::more_flag);
      if (t == tok::normal_subst || t == tok::optional_subst) {
        auto st = parse_substitution(out);
        if (!st) return st;
      } else if (base == tok::value || base == tok::char_ref || base == tok::entity_ref) {
        auto st = parse_text_token(out);
        if (!st) return st;
      } else {
        break;
      }
    }
    return {};
  }

  Status parse_content(Document& doc, std::vector<Piece>& out, int depth) {
    while (pos_ < end_) {
      const auto t = byte(pos_);
      const auto base = static_cast<std::uint8_t>(t & ~tok::more_flag);
      if (t == tok::end_element) {
        ++pos_;
        return {};
      }
      Status st;
      if (base == tok::open_start) {
        auto idx = parse_element(doc, depth + 1);
        if (!idx) return idx.error();
        out.push_back(element_piece(*idx));
      } else if (t == tok::normal_subst || t == tok::optional_subst) {
        st = parse_substitution(out);
      } else if (base == tok::value || base == tok::char_ref || base == tok::entity_ref || base == tok::cdata) {
        st = parse_text_token(out);
      } else if (t == tok::pi_target) {
        st = parse_pi(out);
      } else if (t == tok::template_instance && !in_template_) {
        st = parse_instance(doc, out, depth + 1);
      } else {
        return at(pos_, "unexpected token " + hex(t) + " in element content");
      }
      if (!st) return st;
    }
    return at(pos_, "element content runs past its container");
  }

  Status parse_substitution(std::vector<Piece>& out) {
    Piece p;
    p.kind = Piece::Kind::substitution;
    p.optional = byte(pos_++) == tok::optional_subst;
    if (!read(p.substitution) || !read(p.declared_type)) return at(pos_, "truncated substitution");
    out.push_back(std::move(p));
    return {};
  }

  // A Unicode text string: u16 character count, then UTF-16LE.
  Result<std::string> read_utf16() {
    std::uint16_t chars = 0;
    if (!read(chars)) return at(pos_, "truncated string length");
    const auto bytes = slice(bounded(), pos_, 2 * static_cast<std::size_t>(chars));
    if (!bytes) return at(pos_, "string runs past its container");
    pos_ += bytes->size();
    std::string s;
    s.reserve(bytes->size() / 2);
    append_utf16le(s, *bytes);
    return s;
  }

  Status parse_text_token(std::vector<Piece>& out) {
    const auto base = static_cast<std::uint8_t>(byte(pos_++) & ~tok::more_flag);
    if (base == tok::char_ref) {
      std::uint16_t cp = 0;
      if (!read(cp)) return at(pos_, "truncated character reference");
      std::string s;
      append_utf8(s, cp == 0 ? k_replacement_char : cp);
      append_text_piece(out, s);
      return {};
    }
    if (base == tok::entity_ref) {
      auto name = read_name();
      if (!name) return name.error();
      append_text_piece(out, entity_text(*name));
      return {};
    }
    if (base == tok::cdata) {
      auto s = read_utf16();
      if (!s) return s.error();
      append_text_piece(out, *s, Piece::Kind::cdata);
      return {};
    }
    // Value text: normally a string; other fixed-size types are accepted (their size is known).
    std::uint8_t type = 0;
    if (!read(type)) return at(pos_, "truncated value");
    if (type == value_type::string) {
      auto s = read_utf16();
      if (!s) return s.error();
      append_text_piece(out, *s);
      return {};
    }
    return at(pos_ - 1, "value token of type " + hex(type) + " (only strings carry their size)");
  }

  Status parse_pi(std::vector<Piece>& out) {
    ++pos_;
    auto target = read_name();
    if (!target) return target.error();
    Piece p;
    p.kind = Piece::Kind::pi;
    p.text = std::move(*target);
    if (pos_ < end_ && byte(pos_) == tok::pi_data) {
      ++pos_;
      auto data = read_utf16();
      if (!data) return data.error();
      p.data = std::move(*data);
    }
    out.push_back(std::move(p));
    return {};
  }

  Status parse_instance(Document& doc, std::vector<Piece>& out, int depth) {
    if (depth > k_max_depth) return at(pos_, "template instances nested too deeply");
    ++pos_;
    std::uint8_t unknown = 0;
    std::uint32_t template_id = 0, def_offset = 0;
    if (!read(unknown) || !read(template_id) || !read(def_offset)) return at(pos_, "truncated template instance");
    if (def_offset == pos_) {  // the definition is inline: skip it (24 bytes of header + data)
      const auto size = read_le<std::uint32_t>(bounded(), pos_ + 20);
      if (!size || !skip(24) || !skip(*size)) return at(pos_, "inline template definition runs past its container");
    }
    auto tmpl = p_.template_at(def_offset, depth);
    if (!tmpl) return tmpl.error();
    Instance inst;
    inst.template_offset = def_offset;
    inst.tmpl = std::move(*tmpl);
    std::uint32_t count = 0;
    if (!read(count)) return at(pos_, "truncated substitution count");
    if (count > (end_ - pos_) / 4) return at(pos_, "substitution count " + std::to_string(count) + " exceeds the data");
    inst.values.resize(count);
    std::vector<std::uint16_t> sizes(count);
    for (std::size_t i = 0; i < count; ++i) {
      std::uint8_t pad = 0;
      if (!read(sizes[i]) || !read(inst.values[i].value.type) || !read(pad)) {
        return at(pos_, "truncated value descriptor");
      }
    }
    for (std::size_t i = 0; i < count; ++i) {
      auto& v = inst.values[i];
      const auto bytes = slice(bounded(), pos_, sizes[i]);
      if (!bytes) return at(pos_, "substitution value runs past the record");
      v.value.bytes = *bytes;
      if (v.value.type == value_type::binxml && !bytes->empty()) {
        auto nested = std::make_shared<Document>();
        BinXmlCursor sub(p_, pos_, pos_ + bytes->size(), false);
        auto st = sub.parse_fragment(*nested, depth + 1);
        if (st) {
          v.binxml = std::move(nested);
        } else {
          p_.warnings_.push_back("nested binary XML value not rendered: " + st.error().message);
        }
      }
      pos_ += bytes->size();
    }
    doc.instances.push_back(std::move(inst));
    Piece p;
    p.kind = Piece::Kind::instance;
    p.index = static_cast<std::uint32_t>(doc.instances.size() - 1);
    out.push_back(std::move(p));
    return {};
  }

  ChunkParser& p_;
  std::string_view chunk_;
  std::size_t pos_;
  std::size_t end_;
  bool in_template_;
};

Result<std::string> ChunkParser::name_at(std::uint32_t offset) {
  if (const auto it = names_.find(offset); it != names_.end()) return it->second;
  const auto chars = read_le<std::uint16_t>(chunk_, std::size_t{offset} + 6);
  if (!chars) return at(offset, "name header past the chunk");
  const auto bytes = slice(chunk_, std::size_t{offset} + 8, 2 * static_cast<std::size_t>(*chars) + 2);
  if (!bytes) return at(offset, "name past the chunk");
  std::string name;
  append_utf16le(name, bytes->substr(0, bytes->size() - 2));
  names_.emplace(offset, name);
  return name;
}

Result<std::shared_ptr<const Document>> ChunkParser::template_at(std::uint32_t offset, int depth) {
  if (const auto it = templates_.find(offset); it != templates_.end()) {
    if (it->second) return it->second;
    return at(offset, "template unusable (failed earlier or refers to itself)");
  }
  const auto size = read_le<std::uint32_t>(chunk_, std::size_t{offset} + 20);
  if (!size || chunk_.size() - (std::size_t{offset} + 24) < *size)
    return at(offset, "template definition past the chunk");
  templates_.emplace(offset, nullptr);
  auto doc = std::make_shared<Document>();
  const std::size_t begin = std::size_t{offset} + 24;
  BinXmlCursor cur(*this, begin, begin + *size, true);
  auto st = cur.parse_fragment(*doc, depth);
  if (!st) return make_error("template " + hex(offset) + ": " + st.error().message);
  std::shared_ptr<const Document> done = std::move(doc);
  templates_[offset] = done;
  return done;
}

Result<Document> ChunkParser::parse_record(std::size_t offset, std::size_t size) {
  Document doc;
  BinXmlCursor cur(*this, offset, offset + size, false);
  auto st = cur.parse_fragment(doc, 0);
  if (!st) return st.error();
  return doc;
}

}  // namespace negoheal::parsers::evtx
