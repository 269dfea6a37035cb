#include "parsers/evtx/system_fields.h"

namespace negoheal::parsers::evtx {

void SystemFieldCollector::start_element(std::string_view name) {
  if (depth_ < 3) path_[depth_] = name;
  ++depth_;
}

void SystemFieldCollector::end_start_tag(bool empty) {
  if (empty && depth_ > 0) --depth_;
}

void SystemFieldCollector::end_element(std::string_view) {
  if (depth_ > 0) --depth_;
}

void SystemFieldCollector::attribute(std::string_view name, std::string_view value) {
  if (depth_ != 3 || path_[1] != "System") return;
  if (path_[2] == "Provider" && name == "Name" && !fields_.provider) fields_.provider = std::string(value);
  if (path_[2] == "TimeCreated" && name == "SystemTime" && !fields_.time_created) {
    fields_.time_created = std::string(value);
  }
}

void SystemFieldCollector::text(std::string_view utf8) {
  if (depth_ != 3 || path_[1] != "System") return;
  std::optional<std::string>* field = nullptr;
  if (path_[2] == "EventID")
    field = &fields_.event_id;
  else if (path_[2] == "EventRecordID")
    field = &fields_.event_record_id;
  else if (path_[2] == "Channel")
    field = &fields_.channel;
  else if (path_[2] == "Computer")
    field = &fields_.computer;
  if (field == nullptr) return;
  if (!*field) *field = std::string();
  **field += utf8;  // text may arrive in pieces (value text, then a substitution)
}

}  // namespace negoheal::parsers::evtx
