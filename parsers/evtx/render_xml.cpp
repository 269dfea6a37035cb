#include "parsers/evtx/render_xml.h"

#include <span>

#include "parsers/evtx/text.h"

namespace negoheal::parsers::evtx {
namespace {

using Values = std::span<const InstanceValue>;

class Walker {
 public:
  Walker(XmlSink& sink, const RenderLimits& limits) : sink_(sink), limits_(limits) {}

  Status pieces(const Document& doc, const std::vector<Piece>& list, Values values, int depth) {
    if (depth > k_max_depth) return make_error("rendering nested too deeply");
    for (const auto& p : list) {
      if (!step(p.text.size())) return make_error("rendered record exceeds the size limit");
      Status st;
      switch (p.kind) {
        case Piece::Kind::text:
          sink_.text(p.text);
          break;
        case Piece::Kind::cdata:
          sink_.cdata(p.text);
          break;
        case Piece::Kind::pi:
          sink_.pi(p.text, p.data);
          break;
        case Piece::Kind::element:
          if (p.index < doc.elements.size()) st = element(doc, doc.elements[p.index], values, depth + 1);
          break;
        case Piece::Kind::instance:
          if (p.index < doc.instances.size()) {
            const auto& inst = doc.instances[p.index];
            st = pieces(*inst.tmpl, inst.tmpl->top, inst.values, depth + 1);
          }
          break;
        case Piece::Kind::substitution:
          st = substitution(p, values, depth);
          break;
      }
      if (!st) return st;
    }
    return {};
  }

 private:
  bool step(std::size_t bytes) {
    ++steps_;
    output_ += bytes;
    return steps_ <= limits_.max_steps && output_ <= limits_.max_output_bytes;
  }

  static const InstanceValue* lookup(const Piece& p, Values values) {
    return p.substitution < values.size() ? &values[p.substitution] : nullptr;
  }

  static bool is_array(const InstanceValue* v) { return v != nullptr && (v->value.type & value_type::array_flag) != 0; }

  Status substitution(const Piece& p, Values values, int depth) {
    const auto* v = lookup(p, values);
    if (v == nullptr || v->value.type == value_type::null) return {};
    if (v->binxml) return pieces(*v->binxml, v->binxml->top, {}, depth + 1);
    std::string s;
    if (is_array(v)) {
      const auto items = array_items(v->value.type, v->value.bytes);
      for (std::size_t i = 0; i < items.size(); ++i)
        s += (i == 0 ? "" : ",") + items[i];
    } else {
      append_value_text(s, v->value.type, v->value.bytes);
    }
    if (!step(s.size())) return make_error("rendered record exceeds the size limit");
    sink_.text(s);
    return {};
  }

  // An attribute whose whole value is a missing or null substitution is left out, as Windows does.
  static bool omitted(const Attribute& a, Values values) {
    if (a.value.size() != 1 || a.value[0].kind != Piece::Kind::substitution) return false;
    const auto* v = lookup(a.value[0], values);
    return v == nullptr || v->value.type == value_type::null || (a.value[0].optional && v->value.bytes.empty());
  }

  std::string attribute_text(const Attribute& a, Values values) {
    std::string s;
    for (const auto& p : a.value) {
      if (p.kind != Piece::Kind::substitution) {
        s += p.text;
        continue;
      }
      const auto* v = lookup(p, values);
      if (v == nullptr) continue;
      if (is_array(v)) {
        const auto items = array_items(v->value.type, v->value.bytes);
        for (std::size_t i = 0; i < items.size(); ++i)
          s += (i == 0 ? "" : ",") + items[i];
      } else if (v->value.type != value_type::binxml) {
        append_value_text(s, v->value.type, v->value.bytes);
      }
    }
    return s;
  }

  Status open(const Element& el, Values values) {
    sink_.start_element(el.name);
    for (const auto& a : el.attributes) {
      if (omitted(a, values)) continue;
      const auto text = attribute_text(a, values);
      if (!step(a.name.size() + text.size())) return make_error("rendered record exceeds the size limit");
      sink_.attribute(a.name, text);
    }
    return {};
  }

  Status element(const Document& doc, const Element& el, Values values, int depth) {
    if (depth > k_max_depth) return make_error("rendering nested too deeply");
    if (!step(2 * el.name.size())) return make_error("rendered record exceeds the size limit");
    // <Data>%array%</Data> is written once per item (one empty element for an empty array).
    if (el.content.size() == 1 && el.content[0].kind == Piece::Kind::substitution) {
      const auto* v = lookup(el.content[0], values);
      if (is_array(v)) {
        const auto items = array_items(v->value.type, v->value.bytes);
        const std::size_t n = items.empty() ? 1 : items.size();
        for (std::size_t i = 0; i < n; ++i) {
          auto st = open(el, values);
          if (!st) return st;
          sink_.end_start_tag(false);
          if (!items.empty()) {
            if (!step(items[i].size() + 2 * el.name.size()))
              return make_error("rendered record exceeds the size limit");
            sink_.text(items[i]);
          }
          sink_.end_element(el.name);
        }
        return {};
      }
    }
    auto st = open(el, values);
    if (!st) return st;
    sink_.end_start_tag(el.empty_tag);
    if (el.empty_tag) return {};
    st = pieces(doc, el.content, values, depth);
    if (!st) return st;
    sink_.end_element(el.name);
    return {};
  }

  XmlSink& sink_;
  const RenderLimits& limits_;
  std::size_t steps_ = 0;
  std::size_t output_ = 0;
};

}  // namespace

Status render(const Document& doc, XmlSink& sink, const RenderLimits& limits) {
  Walker w(sink, limits);
  return w.pieces(doc, doc.top, {}, 0);
}

void XmlTextWriter::start_element(std::string_view name) {
  out_ += '<';
  append_xml_name(out_, name);
}

void XmlTextWriter::attribute(std::string_view name, std::string_view value) {
  out_ += ' ';
  append_xml_name(out_, name);
  out_ += "='";
  append_xml_attribute(out_, value);
  out_ += '\'';
}

void XmlTextWriter::text(std::string_view utf8) {
  append_xml_text(out_, utf8);
}

void XmlTextWriter::cdata(std::string_view utf8) {
  // "]]>" cannot appear inside a CDATA section: split it across two sections.
  out_ += "<![CDATA[";
  std::size_t start = 0;
  for (auto pos = utf8.find("]]>"); pos != std::string_view::npos; pos = utf8.find("]]>", start)) {
    out_.append(utf8.substr(start, pos + 2 - start));
    out_ += "]]><![CDATA[";
    start = pos + 2;
  }
  out_.append(utf8.substr(start));
  out_ += "]]>";
}

void XmlTextWriter::pi(std::string_view target, std::string_view data) {
  out_ += "<?";
  append_xml_name(out_, target);
  if (!data.empty()) {
    out_ += ' ';
    out_ += data;
  }
  out_ += "?>";
}

void XmlTextWriter::end_element(std::string_view name) {
  out_ += "</";
  append_xml_name(out_, name);
  out_ += '>';
}

}  // namespace negoheal::parsers::evtx
