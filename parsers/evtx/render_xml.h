#pragma once
// Expands a parsed BinXML Document (templates filled with their values) into a stream of XML
// events, and writes those events as the text `wevtutil qe /f:xml` prints (single-quoted
// attributes, no added whitespace).
#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.h"
#include "parsers/evtx/binxml.h"

namespace negoheal::parsers::evtx {

class XmlSink {
 public:
  virtual ~XmlSink() = default;
  virtual void start_element(std::string_view name) = 0;
  virtual void attribute(std::string_view name, std::string_view value) = 0;
  virtual void end_start_tag(bool empty) = 0;  // '/>' when empty, else '>'
  virtual void text(std::string_view utf8) = 0;
  virtual void cdata(std::string_view utf8) = 0;
  virtual void pi(std::string_view target, std::string_view data) = 0;
  virtual void end_element(std::string_view name) = 0;
};

struct RenderLimits {
  std::size_t max_output_bytes = std::size_t{8} << 20;  // per record; templates can multiply
  std::size_t max_steps = std::size_t{1} << 22;         // nodes visited per record
};

// Walks `doc` into `sink`. Fails (and the sink holds a partial document) when a limit is hit or
// nesting exceeds k_max_depth.
Status render(const Document& doc, XmlSink& sink, const RenderLimits& limits = {});

class XmlTextWriter final : public XmlSink {
 public:
  void start_element(std::string_view name) override;
  void attribute(std::string_view name, std::string_view value) override;
  void end_start_tag(bool empty) override { out_ += empty ? "/>" : ">"; }
  void text(std::string_view utf8) override;
  void cdata(std::string_view utf8) override;
  void pi(std::string_view target, std::string_view data) override;
  void end_element(std::string_view name) override;

  [[nodiscard]] const std::string& str() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

// Sends every event to two sinks (the writer and a field collector).
class TeeSink final : public XmlSink {
 public:
  TeeSink(XmlSink& a, XmlSink& b) : a_(a), b_(b) {}
  void start_element(std::string_view n) override { a_.start_element(n), b_.start_element(n); }
  void attribute(std::string_view n, std::string_view v) override { a_.attribute(n, v), b_.attribute(n, v); }
  void end_start_tag(bool e) override { a_.end_start_tag(e), b_.end_start_tag(e); }
  void text(std::string_view t) override { a_.text(t), b_.text(t); }
  void cdata(std::string_view t) override { a_.cdata(t), b_.cdata(t); }
  void pi(std::string_view t, std::string_view d) override { a_.pi(t, d), b_.pi(t, d); }
  void end_element(std::string_view n) override { a_.end_element(n), b_.end_element(n); }

 private:
  XmlSink& a_;
  XmlSink& b_;
};

}  // namespace negoheal::parsers::evtx
