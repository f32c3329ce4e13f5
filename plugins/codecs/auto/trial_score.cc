#include "plugins/codecs/auto/trial_score.h"

namespace prowl::codecs {

std::vector<uint8_t> take_sample(std::span<const uint8_t> in) {
  if (in.size() <= kSampleBytes) return {in.begin(), in.end()};
  std::vector<uint8_t> sample;
  sample.reserve(kSampleBytes);
  const size_t stride = (in.size() - kSampleSliceBytes) / (kSampleSlices - 1);
  for (size_t i = 0; i < kSampleSlices; ++i) {
    const size_t start = i + 1 == kSampleSlices ? in.size() - kSampleSliceBytes : i * stride;
    auto slice = in.subspan(start, kSampleSliceBytes);
    sample.insert(sample.end(), slice.begin(), slice.end());
  }
  return sample;
}

double trial_ratio(const TrialResult& trial) noexcept {
  if (trial.sample_bytes == 0 || trial.compressed_bytes == 0) return 0;
  return static_cast<double>(trial.sample_bytes) / static_cast<double>(trial.compressed_bytes);
}

double trial_cost(const TrialResult& trial, double link_bytes_per_second) noexcept {
  return trial.seconds + static_cast<double>(trial.compressed_bytes) / link_bytes_per_second;
}

size_t pick_winner(std::span<const TrialResult> trials, double link_bytes_per_second) noexcept {
  bool compressible = false;
  for (const auto& t : trials) compressible = compressible || trial_ratio(t) >= kMinUsefulRatio;
  size_t best = 0;
  for (size_t i = 1; i < trials.size(); ++i) {
    const auto& t = trials[i];
    const auto& b = trials[best];
    const double cost_t = trial_cost(t, link_bytes_per_second);
    const double cost_b = trial_cost(b, link_bytes_per_second);
    const bool better = compressible ? cost_t < cost_b || (cost_t == cost_b && t.speed_rank < b.speed_rank)
                                     : t.speed_rank < b.speed_rank;
    if (better) best = i;
  }
  return best;
}

}  // namespace prowl::codecs
