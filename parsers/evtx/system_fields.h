#pragma once
// The <System> values the normalized event needs, collected while a record is rendered (the
// XML is never parsed back).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "parsers/evtx/render_xml.h"

namespace negoheal::parsers::evtx {

struct SystemFields {
  std::optional<std::string> provider;         // Provider/@Name
  std::optional<std::string> event_id;         // EventID text (Qualifiers not included)
  std::optional<std::string> event_record_id;  // EventRecordID text
  std::optional<std::string> channel;
  std::optional<std::string> computer;
  std::optional<std::string> time_created;  // TimeCreated/@SystemTime
};

class SystemFieldCollector final : public XmlSink {
 public:
  void start_element(std::string_view name) override;
  void attribute(std::string_view name, std::string_view value) override;
  void end_start_tag(bool empty) override;
  void text(std::string_view utf8) override;
  void cdata(std::string_view utf8) override { text(utf8); }
  void pi(std::string_view, std::string_view) override {}
  void end_element(std::string_view name) override;

  [[nodiscard]] const SystemFields& fields() const { return fields_; }
  SystemFields take() { return std::move(fields_); }

 private:
  // Only the first three levels matter (Event/System/X); deeper names are not kept.
  std::string path_[3];
  std::size_t depth_ = 0;
  SystemFields fields_;
};

}  // namespace negoheal::parsers::evtx
