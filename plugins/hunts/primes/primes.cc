#include "plugins/hunts/primes/primes.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace prowl::hunts::primes {
namespace {

constexpr uint64_t kSegment = 1 << 18;  // odd numbers per segment: 256 Ki bytes of sieve

uint64_t isqrt(uint64_t n) {
  uint64_t r = static_cast<uint64_t>(std::sqrt(static_cast<double>(n)));
  while (r * r > n) --r;
  while ((r + 1) * (r + 1) <= n) ++r;
  return r;
}

// Odd primes up to `limit`, by a plain sieve.
std::vector<uint64_t> base_primes(uint64_t limit) {
  std::vector<bool> composite(limit + 1, false);
  std::vector<uint64_t> out;
  for (uint64_t i = 3; i <= limit; i += 2) {
    if (composite[i]) continue;
    out.push_back(i);
    for (uint64_t j = i * i; j <= limit; j += 2 * i) composite[j] = true;
  }
  return out;
}

}  // namespace

uint64_t count_primes(uint64_t lo, uint64_t hi, const std::function<bool()>& stop, bool* stopped) {
  *stopped = false;
  if (hi <= 2 || lo >= hi) return 0;
  uint64_t count = 0;
  if (lo <= 2) count = 1;  // 2, the only even prime
  const std::vector<uint64_t> primes = base_primes(isqrt(hi - 1) + 1);
  // Sieve odd numbers only: index k stands for first + 2k.
  uint64_t first = std::max<uint64_t>(lo, 3) | 1;
  std::vector<uint8_t> composite(kSegment);
  for (uint64_t start = first; start < hi; start += 2 * kSegment) {
    if (stop && stop()) {
      *stopped = true;
      return 0;
    }
    const uint64_t end = std::min(hi, start + 2 * kSegment);  // exclusive
    const uint64_t n = (end - start + 1) / 2;
    std::fill(composite.begin(), composite.begin() + static_cast<std::ptrdiff_t>(n), 0);
    for (uint64_t p : primes) {
      if (p * p >= end) break;
      uint64_t m = std::max(p * p, (start + p - 1) / p * p);
      if (m % 2 == 0) m += p;
      for (; m < end; m += 2 * p) composite[(m - start) / 2] = 1;
    }
    for (uint64_t k = 0; k < n; ++k) {
      if (!composite[k]) ++count;
    }
  }
  return count;
}

}  // namespace prowl::hunts::primes
