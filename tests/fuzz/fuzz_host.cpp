// Host validation: never crashes, and whatever it accepts is canonical (normalizing again is the
// identity) and safe as one argv element (RFC 1123 characters or an IP literal only).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/host.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto h = negoheal::normalize_host(text);
  if (h.ok()) {
    const std::string& v = h.value();
    if (v.empty() || v.size() > negoheal::k_max_host_length) std::abort();
    for (char c : v) {
      const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == ':';
      if (!ok) std::abort();
    }
    auto again = negoheal::normalize_host(v);
    if (!again.ok() || again.value() != v) std::abort();
  }
  (void)negoheal::parse_host_port(text);
  return 0;
}
