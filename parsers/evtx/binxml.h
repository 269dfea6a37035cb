#pragma once
// Binary XML (MS-EVEN6) as EVTX chunks store it: a parsed tree of elements whose text may be
// substitutions, plus template instances (a cached template tree and the record's values).
// All offsets are relative to the chunk start, as names and templates are addressed that way.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "parsers/evtx/values.h"

namespace negoheal::parsers::evtx {

// Bounds that keep hostile input from recursing or allocating without limit.
inline constexpr int k_max_depth = 64;

struct Document;

struct Piece {
  enum class Kind : std::uint8_t { text, cdata, pi, element, substitution, instance };
  Kind kind = Kind::text;
  bool optional = false;           // substitution: 0x0e (optional) rather than 0x0d
  std::uint8_t declared_type = 0;  // substitution: the type the template expects
  std::uint16_t substitution = 0;  // substitution: index into the instance values
  std::uint32_t index = 0;         // element / instance: index into the Document's vectors
  std::string text;                // text, cdata; pi: target
  std::string data;                // pi: data
};

struct Attribute {
  std::string name;
  std::vector<Piece> value;  // text and substitutions only
};

struct Element {
  std::string name;
  std::vector<Attribute> attributes;
  std::vector<Piece> content;
  bool empty_tag = false;  // written as <x/> in the binary form
};

struct InstanceValue {
  Value value;
  std::shared_ptr<const Document> binxml;  // set for type 0x21 values that parsed
};

struct Instance {
  std::uint32_t template_offset = 0;
  std::shared_ptr<const Document> tmpl;
  std::vector<InstanceValue> values;
};

struct Document {
  std::vector<Element> elements;
  std::vector<Instance> instances;
  std::vector<Piece> top;  // the fragment's root pieces (an element or an instance, PIs)
};

// One chunk's parse state: the names and templates it has read, cached by offset. Not
// thread-safe; one per chunk being read.
class ChunkParser {
 public:
  explicit ChunkParser(std::string_view chunk) : chunk_(chunk) {}

  // The BinXML of one record: bytes [offset, offset + size) of the chunk.
  Result<Document> parse_record(std::size_t offset, std::size_t size);

  // Non-fatal findings (a nested BinXML value that did not parse...), drained by the caller.
  std::vector<std::string> take_warnings() { return std::move(warnings_); }

 private:
  friend class BinXmlCursor;
  Result<std::string> name_at(std::uint32_t offset);
  Result<std::shared_ptr<const Document>> template_at(std::uint32_t offset, int depth);

  std::string_view chunk_;
  std::unordered_map<std::uint32_t, std::string> names_;
  // nullptr marks a template being parsed or one that failed (not retried for every record).
  std::unordered_map<std::uint32_t, std::shared_ptr<const Document>> templates_;
  std::vector<std::string> warnings_;
};

}  // namespace negoheal::parsers::evtx
