#include "parsers/text/anchor_scan.h"

#include <cctype>
#include <cstdint>
#include <cstring>
#include <stdexcept>

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#define NEGOHEAL_X86 1
#endif

namespace negoheal::parsers {
namespace {

// How common each byte is in proxy logs (FreeRDP DEBUG/INFO logs and prose), as 20*log10 of its
// frequency shifted into 0..255; 0 = not seen. Only the order matters.
constexpr unsigned char k_byte_rank[256] = {
    0,   0,   0,   0,   0,   0,   0,   0,   0,   126, 215, 0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
    0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   231, 137, 176, 138, 108, 160, 146, 157, 171, 171, 174, 166,
    191, 216, 223, 171, 225, 217, 226, 215, 227, 218, 210, 210, 210, 209, 228, 153, 168, 184, 195, 150, 156, 213,
    212, 214, 214, 221, 203, 215, 178, 212, 156, 159, 213, 195, 221, 216, 205, 138, 214, 214, 217, 213, 173, 190,
    172, 164, 154, 226, 162, 226, 0,   220, 156, 215, 203, 225, 218, 231, 216, 215, 195, 220, 157, 180, 213, 215,
    224, 227, 218, 189, 228, 216, 225, 211, 196, 181, 204, 209, 167, 146, 185, 146, 0,   0,   122, 128, 0,   0,
    132, 0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   122, 0,   0,   0,   0,   0,
    0,   0,   0,   0,   0,   0,   134, 0,   0,   0,   122, 0,   0,   0,   0,   122, 0,   0,   0,   0,   0,   0,
    0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   128, 0,   0,   0,   0,   0,   136, 122, 0,   0,
    0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   132, 0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
    0,   0,   0,   0,   0,   0,   122, 0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   128, 0,   0,
    0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0};

unsigned rank(char c) {
  const unsigned r = k_byte_rank[static_cast<unsigned char>(c)];
  return r == 0 ? 100 : r;  // unseen bytes are rare but not free
}

char fold(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}

char probe_byte(const AnchorScanner::Anchor& a, std::size_t i) {
  return a.case_insensitive ? static_cast<char>(a.literal[i] | 0x20) : a.literal[i];
}

bool equal_at(std::string_view data, std::size_t pos, const AnchorScanner::Anchor& a) {
  if (pos + a.literal.size() > data.size()) return false;
  if ((a.case_insensitive ? fold(data[pos]) : data[pos]) != a.literal[0]) return false;
  if (!a.case_insensitive) return std::memcmp(data.data() + pos, a.literal.data(), a.literal.size()) == 0;
  for (std::size_t i = 0; i < a.literal.size(); ++i) {
    if (fold(data[pos + i]) != a.literal[i]) return false;
  }
  return true;
}

}  // namespace

AnchorScanner::AnchorScanner(std::vector<Anchor> anchors) : anchors_(std::move(anchors)) {
  for (auto& a : anchors_) {
    if (a.literal.size() < 2 || a.literal.size() > 64) throw std::invalid_argument("anchor length must be 2..64");
    if (a.case_insensitive) {
      for (auto& c : a.literal)
        c = fold(c);
    }
    max_len_ = std::max(max_len_, a.literal.size());
    Probe best{0, a.literal.size() - 1};
    unsigned best_score = ~0u;
    for (std::size_t i = 0; i < a.literal.size(); ++i) {
      for (std::size_t j = i + 1; j < a.literal.size(); ++j) {
        if (a.literal[i] == a.literal[j]) continue;
        // Folded probes must be bytes whose fold is exact (letters, digits).
        if (a.case_insensitive && !(std::isalnum(static_cast<unsigned char>(a.literal[i])) &&
                                    std::isalnum(static_cast<unsigned char>(a.literal[j])))) {
          continue;
        }
        const unsigned score = rank(a.literal[i]) + rank(a.literal[j]);
        if (score < best_score) {
          best_score = score;
          best = {i, j};
        }
      }
    }
    probes_.push_back(best);
  }
#if defined(NEGOHEAL_X86) && defined(__GNUC__)
  if (__builtin_cpu_supports("avx512bw")) {
    level_ = SimdLevel::avx512;
  } else if (__builtin_cpu_supports("avx2")) {
    level_ = SimdLevel::avx2;
  }
#endif
}

bool AnchorScanner::verify(std::string_view data, std::size_t pos, std::size_t& anchor_index) const {
  for (std::size_t k = 0; k < anchors_.size(); ++k) {
    if (equal_at(data, pos, anchors_[k])) {
      anchor_index = k;
      return true;
    }
  }
  return false;
}

std::size_t AnchorScanner::find_scalar(std::string_view data, std::size_t from, std::size_t end) const {
  std::size_t idx = 0;
  for (std::size_t i = from; i < end; ++i) {
    if (verify(data, i, idx)) return i;
  }
  return std::string_view::npos;
}

std::size_t AnchorScanner::find(std::string_view data, std::size_t from) const {
  if (from >= data.size()) return std::string_view::npos;
#if defined(NEGOHEAL_X86)
  switch (level_) {
    case SimdLevel::avx512:
      return find_avx512(data, from);
    case SimdLevel::avx2:
      return find_avx2(data, from);
    case SimdLevel::sse2:
      break;
  }
  return find_sse2(data, from);
#else
  return find_scalar(data, from, data.size());
#endif
}

#if defined(NEGOHEAL_X86)

// For every anchor: the bytes at i+first and i+second equal the anchor's probe bytes.
// Case-insensitive anchors compare against the folded (|0x20) data, which is exact for letters
// and digits; verify() rejects the rare false candidates.
std::size_t AnchorScanner::find_sse2(std::string_view data, std::size_t from) const {
  const char* p = data.data();
  const std::size_t n = data.size();
  std::size_t i = from;
  const __m128i k20 = _mm_set1_epi8(0x20);
  while (i + max_len_ + 16 <= n) {
    __m128i any = _mm_setzero_si128();
    for (std::size_t k = 0; k < anchors_.size(); ++k) {
      const auto& a = anchors_[k];
      const auto& pr = probes_[k];
      __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + pr.first));
      __m128i y = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + pr.second));
      if (a.case_insensitive) {
        x = _mm_or_si128(x, k20);
        y = _mm_or_si128(y, k20);
      }
      const __m128i m = _mm_and_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(probe_byte(a, pr.first))),
                                      _mm_cmpeq_epi8(y, _mm_set1_epi8(probe_byte(a, pr.second))));
      any = _mm_or_si128(any, m);
    }
    auto mask = static_cast<unsigned>(_mm_movemask_epi8(any));
    while (mask != 0) {
      const auto bit = static_cast<std::size_t>(__builtin_ctz(mask));
      std::size_t idx = 0;
      if (verify(data, i + bit, idx)) return i + bit;
      mask &= mask - 1;
    }
    i += 16;
  }
  return find_scalar(data, i, n);
}

namespace {

// The anchors' probes with their byte constants, for the unrolled wide loops below: with the
// anchor count a compile-time constant the compiler keeps every broadcast constant in a register.
template <std::size_t N>
struct Packed {
  std::size_t off_a[N];
  std::size_t off_b[N];
  char byte_a[N];
  char byte_b[N];
  bool fold[N];
};

template <std::size_t N>
Packed<N> pack(const std::vector<AnchorScanner::Anchor>& anchors, const std::vector<AnchorScanner::Probe>& probes) {
  Packed<N> out{};
  for (std::size_t k = 0; k < N; ++k) {
    out.off_a[k] = probes[k].first;
    out.off_b[k] = probes[k].second;
    out.byte_a[k] = probe_byte(anchors[k], probes[k].first);
    out.byte_b[k] = probe_byte(anchors[k], probes[k].second);
    out.fold[k] = anchors[k].case_insensitive;
  }
  return out;
}

struct Block {
  std::size_t at;
  std::uint64_t mask;  // bit b: a candidate at at + b
};

template <std::size_t N>
__attribute__((target("avx2"))) Block scan_avx2(const Packed<N>& pk, const char* p, std::size_t i, std::size_t end) {
  const __m256i k20 = _mm256_set1_epi8(0x20);
  __m256i ca[N], cb[N];
  for (std::size_t k = 0; k < N; ++k) {
    ca[k] = _mm256_set1_epi8(pk.byte_a[k]);
    cb[k] = _mm256_set1_epi8(pk.byte_b[k]);
  }
  for (; i + 32 <= end; i += 32) {
    __m256i any = _mm256_setzero_si256();
#pragma GCC unroll 16
    for (std::size_t k = 0; k < N; ++k) {
      __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i + pk.off_a[k]));
      __m256i y = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i + pk.off_b[k]));
      if (pk.fold[k]) {
        x = _mm256_or_si256(x, k20);
        y = _mm256_or_si256(y, k20);
      }
      any = _mm256_or_si256(any, _mm256_and_si256(_mm256_cmpeq_epi8(x, ca[k]), _mm256_cmpeq_epi8(y, cb[k])));
    }
    const auto mask = static_cast<std::uint32_t>(_mm256_movemask_epi8(any));
    if (mask != 0) return {i, mask};
  }
  return {i, 0};
}

template <std::size_t N>
__attribute__((target("avx512bw"))) Block scan_avx512(const Packed<N>& pk, const char* p, std::size_t i,
                                                      std::size_t end) {
  const __m512i k20 = _mm512_set1_epi8(0x20);
  __m512i ca[N], cb[N];
  for (std::size_t k = 0; k < N; ++k) {
    ca[k] = _mm512_set1_epi8(pk.byte_a[k]);
    cb[k] = _mm512_set1_epi8(pk.byte_b[k]);
  }
  for (; i + 64 <= end; i += 64) {
    __mmask64 any = 0;
#pragma GCC unroll 16
    for (std::size_t k = 0; k < N; ++k) {
      __m512i x = _mm512_loadu_si512(p + i + pk.off_a[k]);
      __m512i y = _mm512_loadu_si512(p + i + pk.off_b[k]);
      if (pk.fold[k]) {
        x = _mm512_or_si512(x, k20);
        y = _mm512_or_si512(y, k20);
      }
      any |= _mm512_mask_cmpeq_epi8_mask(_mm512_cmpeq_epi8_mask(x, ca[k]), y, cb[k]);
    }
    if (any != 0) return {i, static_cast<std::uint64_t>(any)};
  }
  return {i, 0};
}

}  // namespace

// The wide loops return the first block holding candidates; only its candidate positions are
// verified.
template <std::size_t N>
std::size_t AnchorScanner::find_wide(std::string_view data, std::size_t from, bool avx512) const {
  const Packed<N> pk = pack<N>(anchors_, probes_);
  const char* p = data.data();
  const std::size_t n = data.size();
  const std::size_t width = avx512 ? 64 : 32;
  // Loads reach max_len_ - 1 bytes past the block: stop where they would leave the buffer.
  const std::size_t end = n > max_len_ ? n - max_len_ : 0;
  std::size_t i = from;
  while (i + width <= end) {
    const Block b = avx512 ? scan_avx512<N>(pk, p, i, end) : scan_avx2<N>(pk, p, i, end);
    i = b.at;
    if (b.mask == 0) break;
    for (std::uint64_t mask = b.mask; mask != 0; mask &= mask - 1) {
      const auto pos = i + static_cast<std::size_t>(__builtin_ctzll(mask));
      std::size_t idx = 0;
      if (verify(data, pos, idx)) return pos;
    }
    i += width;
  }
  return find_scalar(data, i, n);
}

std::size_t AnchorScanner::find_dispatch(std::string_view data, std::size_t from, bool avx512) const {
  switch (anchors_.size()) {
    case 1:
      return find_wide<1>(data, from, avx512);
    case 2:
      return find_wide<2>(data, from, avx512);
    case 3:
      return find_wide<3>(data, from, avx512);
    case 4:
      return find_wide<4>(data, from, avx512);
    case 5:
      return find_wide<5>(data, from, avx512);
    case 6:
      return find_wide<6>(data, from, avx512);
    case 7:
      return find_wide<7>(data, from, avx512);
    case 8:
      return find_wide<8>(data, from, avx512);
    case 9:
      return find_wide<9>(data, from, avx512);
    case 10:
      return find_wide<10>(data, from, avx512);
    case 11:
      return find_wide<11>(data, from, avx512);
    case 12:
      return find_wide<12>(data, from, avx512);
    default:
      return find_sse2(data, from);
  }
}

std::size_t AnchorScanner::find_avx2(std::string_view data, std::size_t from) const {
  return find_dispatch(data, from, false);
}

std::size_t AnchorScanner::find_avx512(std::string_view data, std::size_t from) const {
  return find_dispatch(data, from, true);
}

#else
std::size_t AnchorScanner::find_avx512(std::string_view data, std::size_t from) const {
  return find_scalar(data, from, data.size());
}
std::size_t AnchorScanner::find_sse2(std::string_view data, std::size_t from) const {
  return find_scalar(data, from, data.size());
}
std::size_t AnchorScanner::find_avx2(std::string_view data, std::size_t from) const {
  return find_scalar(data, from, data.size());
}
#endif

}  // namespace negoheal::parsers
