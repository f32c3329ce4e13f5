#include "plugins/hunts/primes/primes.h"

#include <gtest/gtest.h>

namespace prowl::hunts::primes {
namespace {

uint64_t count(uint64_t lo, uint64_t hi) {
  bool stopped = false;
  return count_primes(lo, hi, {}, &stopped);
}

TEST(PrimesTest, KnownCounts) {
  EXPECT_EQ(count(0, 0), 0u);
  EXPECT_EQ(count(0, 2), 0u);
  EXPECT_EQ(count(0, 3), 1u);
  EXPECT_EQ(count(0, 10), 4u);
  EXPECT_EQ(count(0, 100), 25u);
  EXPECT_EQ(count(0, 1'000'000), 78'498u);
  EXPECT_EQ(count(0, 10'000'000), 664'579u);
}

TEST(PrimesTest, RangesAddUp) {
  // pi(10^7) split at arbitrary points, segment boundaries included.
  uint64_t total = 0;
  const uint64_t cuts[] = {0, 1, 2, 3, 4, 524'287, 524'288, 524'289, 3'000'001, 9'999'991, 10'000'000};
  for (size_t i = 0; i + 1 < std::size(cuts); ++i) total += count(cuts[i], cuts[i + 1]);
  EXPECT_EQ(total, 664'579u);
  EXPECT_EQ(count(9'999'991, 9'999'992), 1u);  // 9,999,991 is prime
  EXPECT_EQ(count(100, 100), 0u);
}

TEST(PrimesTest, StopsWhenAsked) {
  bool stopped = false;
  EXPECT_EQ(count_primes(0, 100'000'000, [] { return true; }, &stopped), 0u);
  EXPECT_TRUE(stopped);
}

}  // namespace
}  // namespace prowl::hunts::primes
