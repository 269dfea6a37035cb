#include "agent/probe/report.h"

#include <ostream>

#include "parsers/nego_tokens.h"

namespace negoheal::probe {
namespace {

using ojson = nlohmann::ordered_json;

std::string failure_name(std::uint32_t code) {
  const auto name = parsers::neg_failure_name(code);
  return name.empty() ? "UNKNOWN" : std::string(name);
}

std::string reply_text(const Attempt& a) {
  if (!a.answered()) return std::string(outcome_name(a.outcome)) + ": " + a.error;
  switch (a.answer.kind) {
    case x224::AnswerKind::response:
      return "response, selected " + x224::protocol_names(a.answer.value) + " (" + std::to_string(a.answer.value) + ")";
    case x224::AnswerKind::failure:
      return "failure " + std::to_string(a.answer.value) + " " + failure_name(a.answer.value);
    case x224::AnswerKind::bare:
      return "bare Connection Confirm (no negotiation data)";
  }
  return "";
}

}  // namespace

ojson to_json(const Attempt& a) {
  ojson j;
  j["requested"] = a.requested;
  if (!a.answered()) {
    j["reply"] = outcome_name(a.outcome);
    j["error"] = a.error;
  } else {
    j["reply"] = x224::answer_kind_name(a.answer.kind);
    if (a.answer.kind == x224::AnswerKind::failure) {
      j["code"] = a.answer.value;
      j["name"] = failure_name(a.answer.value);
    } else if (a.answer.kind == x224::AnswerKind::response) {
      j["selected"] = a.answer.value;
      j["protocol"] = x224::protocol_names(a.answer.value);
    }
    if (a.answer.kind != x224::AnswerKind::bare) j["flags"] = a.answer.flags;
  }
  j["raw"] = x224::to_hex(a.raw);
  j["elapsed_ms"] = a.elapsed.count();
  return j;
}

ojson to_json(const ProbeResult& r) {
  ojson j;
  j["target"] = r.target;
  j["posture"] = posture_name(r.posture);
  ojson answers = ojson::array();
  for (const auto& a : r.attempts)
    answers.push_back(to_json(a));
  j["answers"] = std::move(answers);
  j["explains_nego_failure"] = r.explains_nego_failure();
  j["description"] = posture_description(r.posture);
  if (!r.note.empty()) j["note"] = r.note;
  j["skipped"] = r.skipped;
  j["addresses"] = r.addresses;
  j["elapsed_ms"] = r.elapsed.count();
  return j;
}

void render_text(const ProbeResult& r, std::ostream& out) {
  out << "target:   " << r.target << "\n"
      << "posture:  " << posture_name(r.posture) << " - " << posture_description(r.posture) << "\n"
      << "explains ERRCONNECT_SECURITY_NEGO_CONNECT_FAILED: " << (r.explains_nego_failure() ? "yes" : "no") << "\n";
  if (!r.note.empty()) out << "note:     " << r.note << "\n";
  out << "answers:\n";
  for (const auto& a : r.attempts) {
    out << "  ask " << x224::protocol_names(a.requested) << " (" << a.requested << "): " << reply_text(a) << " ["
        << a.elapsed.count() << " ms]\n"
        << "      raw: " << (a.raw.empty() ? "(nothing)" : x224::to_hex(a.raw)) << "\n";
  }
  for (const auto s : r.skipped) {
    out << "  ask " << x224::protocol_names(s) << " (" << s << "): not sent, the posture was already decided\n";
  }
  out << "elapsed:  " << r.elapsed.count() << " ms\n";
}

}  // namespace negoheal::probe
