// The auto codec: picks a codec per payload by a cheap trial on a sample and
// compresses with it through the host's codec services.
#pragma once

#include <prowl/sdk.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace prowl::codecs {

/// Compresses a sample of the payload (see trial_score.h) with every loaded
/// candidate, scores each by compress time plus transfer time over the
/// configured link, and compresses the payload with the winner. compress()
/// returns the winner's name, so frames never name "auto" and any host
/// decodes them without it. Thread-safe (no mutable state).
class AutoCodec : public Codec {
 public:
  static constexpr std::string_view kName = "auto";

  /// A codec the trial tries, and the level it is tried and then used at.
  struct Candidate {
    std::string_view codec;
    int32_t level;
  };
  /// The candidates in speed order, fastest first. gzip is left out: zstd's
  /// default is both faster and smaller on any input, so gzip never wins.
  static constexpr std::array<Candidate, 4> kCandidates{
      {{"lz4", 0}, {"zstd", 0}, {"brotli", 5}, {"xz", 1}}};
  /// Link speed the score assumes unless plugins.auto.link_mbit_per_s is set.
  static constexpr double kDefaultLinkMbitPerS = 100;

  /// Reads plugins.auto.link_mbit_per_s (a positive number) from the host's
  /// configuration; throws InvalidInput if it is set but is not one.
  /// REQUIRES: host outlives this codec.
  explicit AutoCodec(const Host& host);

  /// REQUIRES: level == 0 (each candidate runs at its own level); throws
  /// NOT_FOUND when no candidate codec is loaded.
  std::string compress(std::span<const uint8_t> in, int32_t level, Output& out) override;
  /// Always fails with PROWL_ERR_UNSUPPORTED: auto writes no format of its own.
  void decompress(std::span<const uint8_t> in, size_t original_size, Output& out) override;

  /// The link speed the score uses, in bytes per second.
  double link_bytes_per_second() const noexcept { return link_bytes_per_second_; }

 private:
  const Host& host_;
  double link_bytes_per_second_;
};

}  // namespace prowl::codecs
