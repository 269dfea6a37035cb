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

__attribute__((target("avx2"))) std::size_t AnchorScanner::find_avx2(std::string_view data, std::size_t from) const {
  const char* p = data.data();
  const std::size_t n = data.size();
  std::size_t i = from;
  const __m256i k20 = _mm256_set1_epi8(0x20);
  while (i + max_len_ + 32 <= n) {
    __m256i any = _mm256_setzero_si256();
    for (std::size_t k = 0; k < anchors_.size(); ++k) {
      const auto& a = anchors_[k];
      const auto& pr = probes_[k];
      __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i + pr.first));
      __m256i y = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i + pr.second));
      if (a.case_insensitive) {
        x = _mm256_or_si256(x, k20);
        y = _mm256_or_si256(y, k20);
      }
      const __m256i m = _mm256_and_si256(_mm256_cmpeq_epi8(x, _mm256_set1_epi8(probe_byte(a, pr.first))),
                                         _mm256_cmpeq_epi8(y, _mm256_set1_epi8(probe_byte(a, pr.second))));
      any = _mm256_or_si256(any, m);
    }
    auto mask = static_cast<unsigned>(_mm256_movemask_epi8(any));
    while (mask != 0) {
      const auto bit = static_cast<std::size_t>(__builtin_ctz(mask));
      std::size_t idx = 0;
      if (verify(data, i + bit, idx)) return i + bit;
      mask &= mask - 1;
    }
    i += 32;
  }
  return find_scalar(data, i, n);
}

__attribute__((target("avx512bw"))) std::size_t AnchorScanner::find_avx512(std::string_view data,
                                                                           std::size_t from) const {
  const char* p = data.data();
  const std::size_t n = data.size();
  std::size_t i = from;
  const __m512i k20 = _mm512_set1_epi8(0x20);
  while (i + max_len_ + 64 <= n) {
    __mmask64 any = 0;
    for (std::size_t k = 0; k < anchors_.size(); ++k) {
      const auto& a = anchors_[k];
      const auto& pr = probes_[k];
      __m512i x = _mm512_loadu_si512(p + i + pr.first);
      __m512i y = _mm512_loadu_si512(p + i + pr.second);
      if (a.case_insensitive) {
        x = _mm512_or_si512(x, k20);
        y = _mm512_or_si512(y, k20);
      }
      any |= _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8(probe_byte(a, pr.first))) &
             _mm512_cmpeq_epi8_mask(y, _mm512_set1_epi8(probe_byte(a, pr.second)));
    }
    auto mask = static_cast<std::uint64_t>(any);
    while (mask != 0) {
      const auto bit = static_cast<std::size_t>(__builtin_ctzll(mask));
      std::size_t idx = 0;
      if (verify(data, i + bit, idx)) return i + bit;
      mask &= mask - 1;
    }
    i += 64;
  }
  return find_scalar(data, i, n);
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
