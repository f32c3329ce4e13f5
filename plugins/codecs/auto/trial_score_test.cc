#include "plugins/codecs/auto/trial_score.h"

#include <gtest/gtest.h>

#include <numeric>
#include <vector>

namespace prowl::codecs {
namespace {

TrialResult trial(size_t rank, size_t compressed, double seconds, size_t sample = 65536) {
  return {"c" + std::to_string(rank), 0, rank, sample, compressed, seconds};
}

TEST(TakeSample, SmallInputIsItsOwnSample) {
  std::vector<uint8_t> in(kSampleBytes);
  std::iota(in.begin(), in.end(), uint8_t{0});
  EXPECT_EQ(take_sample(in), in);
  EXPECT_TRUE(take_sample({}).empty());
}

TEST(TakeSample, LargeInputGivesSlicesFromStartToEnd) {
  std::vector<uint8_t> in(10 * kSampleBytes + 7);
  for (size_t i = 0; i < in.size(); ++i) in[i] = static_cast<uint8_t>(i * 7 + i / 251);
  const auto sample = take_sample(in);
  ASSERT_EQ(sample.size(), kSampleBytes);
  // First slice is the start, last slice is the end, the middle ones are spread.
  EXPECT_TRUE(std::equal(sample.begin(), sample.begin() + kSampleSliceBytes, in.begin()));
  EXPECT_TRUE(std::equal(sample.end() - kSampleSliceBytes, sample.end(), in.end() - kSampleSliceBytes));
  const size_t stride = (in.size() - kSampleSliceBytes) / (kSampleSlices - 1);
  EXPECT_TRUE(std::equal(sample.begin() + kSampleSliceBytes, sample.begin() + 2 * kSampleSliceBytes,
                         in.begin() + static_cast<std::ptrdiff_t>(stride)));
}

TEST(PickWinner, IncompressibleSampleGoesToTheFastestRank) {
  // Rank 1 is cheaper by the score, but nobody reaches kMinUsefulRatio.
  const std::vector<TrialResult> trials{trial(2, 65000, 0.001), trial(0, 65600, 0.002),
                                        trial(1, 64000, 0.0001)};
  EXPECT_EQ(pick_winner(trials, 12.5e6), 1u);  // index of rank 0
}

TEST(PickWinner, CompressibleSampleMinimisesCompressPlusTransferTime) {
  // fast: 30000 bytes in 0.1 ms; strong: 20000 bytes in 5 ms.
  const std::vector<TrialResult> trials{trial(0, 30000, 0.0001), trial(1, 20000, 0.005)};
  // At 1 MB/s sending dominates: strong costs 25 ms against 30.1 ms.
  EXPECT_EQ(pick_winner(trials, 1e6), 1u);
  // At 100 MB/s compressing dominates: fast costs 0.4 ms against 5.2 ms.
  EXPECT_EQ(pick_winner(trials, 100e6), 0u);
}

TEST(PickWinner, TiesGoToTheFasterRank) {
  const std::vector<TrialResult> trials{trial(3, 1000, 0.001), trial(1, 1000, 0.001)};
  EXPECT_EQ(pick_winner(trials, 1e6), 1u);
}

TEST(TrialRatio, EmptySampleCountsAsIncompressible) {
  EXPECT_EQ(trial_ratio(trial(0, 1, 0, 0)), 0);
  EXPECT_DOUBLE_EQ(trial_ratio(trial(0, 1000, 0, 4000)), 4.0);
  EXPECT_DOUBLE_EQ(trial_cost(trial(0, 1000, 0.5), 1000.0), 1.5);
}

}  // namespace
}  // namespace prowl::codecs
