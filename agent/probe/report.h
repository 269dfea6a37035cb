#pragma once
// How a ProbeResult leaves the process: the JSON of ARCHITECTURE §4.3 (those keys keep their
// names and meanings; the rest are additions) and a short human summary.
#include <iosfwd>
#include <nlohmann/json.hpp>

#include "agent/probe/probe.h"

namespace negoheal::probe {

// {"target","posture","answers":[{"requested","reply","code","name",...}],"explains_nego_failure",...}
nlohmann::ordered_json to_json(const ProbeResult& result);
nlohmann::ordered_json to_json(const Attempt& attempt);

void render_text(const ProbeResult& result, std::ostream& out);

}  // namespace negoheal::probe
