// Arbitrary bytes as sbpam_rdp.json: planning never crashes and never fails its own self-check; a
// plan's output parses, keeps (never adds) the BOM, and planning it again changes nothing, so
// applying the fix twice writes nothing the second time. An unchanged plan is the input itself.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <nlohmann/json.hpp>

#include "actions/remediation/sbpam_rdp.h"

namespace {

constexpr std::string_view k_bom = "\xEF\xBB\xBF";

void check(std::string_view in, bool value) {
  auto plan = negoheal::actions::plan_rdp_security(in, value);
  if (!plan.ok()) {
    if (plan.error().message.starts_with("internal error")) std::abort();
    return;
  }
  const std::string& out = plan->text;
  if (!plan->changed && out != in) std::abort();
  if (out.starts_with(k_bom) != in.starts_with(k_bom)) std::abort();
  const std::string_view body = std::string_view(out).substr(out.starts_with(k_bom) ? k_bom.size() : 0);
  if (!nlohmann::ordered_json::accept(body.begin(), body.end(), /*ignore_comments=*/false)) std::abort();
  auto again = negoheal::actions::plan_rdp_security(out, value);
  if (!again.ok() || again->changed || again->text != out) std::abort();
  if (!negoheal::actions::validate_rdp_security(out, value, {}).ok()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  check(in, true);
  check(in, false);
  return 0;
}
