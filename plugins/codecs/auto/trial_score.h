// The auto codec's trial: which bytes it samples and how it scores the
// candidates' results. Pure functions, no codec calls.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace prowl::codecs {

/// Slices taken from an input larger than kSampleBytes.
inline constexpr size_t kSampleSlices = 4;
/// Bytes per slice.
inline constexpr size_t kSampleSliceBytes = 16 * 1024;
/// Most bytes a sample holds; an input this small is its own sample.
inline constexpr size_t kSampleBytes = kSampleSlices * kSampleSliceBytes;
/// Below this ratio (input / compressed) the sample counts as incompressible
/// and the fastest candidate wins regardless of the score.
inline constexpr double kMinUsefulRatio = 1.03;

/// One candidate's result on the sample.
struct TrialResult {
  std::string codec;
  int32_t level = 0;
  size_t speed_rank = 0;        ///< the candidate's place in the speed order, 0 = fastest
  size_t sample_bytes = 0;      ///< bytes compressed
  size_t compressed_bytes = 0;  ///< bytes produced
  double seconds = 0;           ///< CPU time taken
};

/// The sample of `in`: all of it when in.size() <= kSampleBytes, otherwise
/// kSampleSlices slices of kSampleSliceBytes spread evenly, the first at the
/// start and the last at the end, concatenated.
std::vector<uint8_t> take_sample(std::span<const uint8_t> in);

/// sample_bytes / compressed_bytes; 0 for an empty sample.
double trial_ratio(const TrialResult& trial) noexcept;

/// Estimated seconds to compress and then send the sample over a link of
/// link_bytes_per_second: seconds + compressed_bytes / link_bytes_per_second.
/// Lower is better. REQUIRES: link_bytes_per_second > 0.
double trial_cost(const TrialResult& trial, double link_bytes_per_second) noexcept;

/// Index of the winning trial: when no trial reaches kMinUsefulRatio, the one
/// with the lowest speed_rank; otherwise the one with the lowest trial_cost
/// (ties to the lower speed_rank). REQUIRES: trials is not empty.
size_t pick_winner(std::span<const TrialResult> trials, double link_bytes_per_second) noexcept;

}  // namespace prowl::codecs
