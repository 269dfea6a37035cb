#pragma once
// Admin-written config text quoted in errors, log lines and audit rows: one line, bounded.
#include <string>
#include <string_view>

namespace negoheal::actions {

inline std::string shown(std::string_view text) {
  std::string out(text.substr(0, 80));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) c = '?';
  }
  if (text.size() > 80) out += "...";
  return out;
}

}  // namespace negoheal::actions
