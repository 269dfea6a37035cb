#pragma once
// Finds the few lines that matter in a large log, fast: a SIMD pass tests every position for the
// first and last byte of a small set of literal anchors at once (the "generic SIMD" substring
// method), and only candidate positions are verified with memcmp. Lines without an anchor are never
// looked at byte by byte, which is what lets `parse` run near memory bandwidth.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace negoheal::parsers {

class AnchorScanner {
 public:
  // Anchors are literals of 2..64 bytes. `fold_last` anchors compare their last byte ASCII
  // case-insensitively (used for hex digits such as "2000C"/"2000c"); the rest is verified
  // case-insensitively too.
  struct Anchor {
    std::string literal;
    bool case_insensitive = false;
  };
  // The two bytes of each anchor tested by the SIMD pass: the pair that is rarest in log text,
  // so few positions need a full comparison.
  struct Probe {
    std::size_t first = 0;
    std::size_t second = 0;
  };
  explicit AnchorScanner(std::vector<Anchor> anchors);

  // Position of the first anchor occurrence at or after `from`, or npos.
  [[nodiscard]] std::size_t find(std::string_view data, std::size_t from) const;

  [[nodiscard]] std::size_t max_anchor_length() const { return max_len_; }

 private:
  [[nodiscard]] bool verify(std::string_view data, std::size_t pos, std::size_t& anchor_index) const;
  [[nodiscard]] std::size_t find_scalar(std::string_view data, std::size_t from, std::size_t end) const;
  [[nodiscard]] std::size_t find_sse2(std::string_view data, std::size_t from) const;
  [[nodiscard]] std::size_t find_avx2(std::string_view data, std::size_t from) const;
  [[nodiscard]] std::size_t find_avx512(std::string_view data, std::size_t from) const;
  [[nodiscard]] std::size_t find_dispatch(std::string_view data, std::size_t from, bool avx512) const;
  template <std::size_t N>
  [[nodiscard]] std::size_t find_wide(std::string_view data, std::size_t from, bool avx512) const;

  std::vector<Anchor> anchors_;
  std::vector<Probe> probes_;
  std::size_t max_len_ = 0;
  enum class SimdLevel { sse2, avx2, avx512 };
  SimdLevel level_ = SimdLevel::sse2;

 public:
  // For tests: run the given level's code path (never above what the CPU supports).
  void limit_simd(int level) {
    if (level < static_cast<int>(level_)) level_ = static_cast<SimdLevel>(level);
  }
};

}  // namespace negoheal::parsers
