// The probe's reply decoder (agent/probe/x224) on hostile bytes: never crashes, never reads past
// the input, accepts only the two shapes of a Connection Confirm; the classifier stays total on
// whatever the decoder lets through.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "agent/probe/classify.h"
#include "agent/probe/x224.h"

namespace {

using negoheal::probe::Attempt;
using negoheal::probe::Outcome;
namespace x224 = negoheal::probe::x224;

// What the socket code does: header, then exactly the announced length, then the decoder.
Attempt decode_like_the_probe(std::span<const std::uint8_t> stream, std::uint32_t requested) {
  Attempt a;
  a.requested = requested;
  a.outcome = Outcome::invalid;
  if (stream.size() < x224::k_tpkt_header_size) return a;
  auto length = x224::decode_tpkt_header(stream.first(x224::k_tpkt_header_size));
  if (!length) return a;
  if (*length < x224::k_min_reply_size || *length > x224::k_max_reply_size) std::abort();
  if (*length > stream.size()) return a;
  auto answer = x224::decode_connection_confirm(stream.first(*length));
  if (!answer) return a;
  if (*length != 11 && *length != 19) std::abort();
  if ((*length == 11) != (answer->kind == x224::AnswerKind::bare)) std::abort();
  a.outcome = Outcome::answered;
  a.answer = *answer;
  return a;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> input(data, size);
  (void)x224::decode_connection_confirm(input);
  (void)x224::to_hex(input.first(size < 64 ? size : 64));

  // Up to three replies, one per request of the sequence, cut at the TPKT lengths they announce.
  std::vector<Attempt> attempts;
  std::size_t offset = 0;
  for (const auto requested : negoheal::probe::k_request_sequence) {
    if (!negoheal::probe::next_request(attempts)) break;
    const auto rest = input.subspan(offset);
    attempts.push_back(decode_like_the_probe(rest, requested));
    const std::size_t used = rest.size() >= 4 ? ((static_cast<std::size_t>(rest[2]) << 8U) | rest[3]) : rest.size();
    offset += used == 0 || used > rest.size() ? rest.size() : used;
  }
  const auto c = negoheal::probe::classify(attempts);
  if (negoheal::probe::explains_nego_failure(c.posture) && !c.note.empty()) std::abort();
  if (negoheal::probe::posture_name(c.posture).empty()) std::abort();
  return 0;
}
