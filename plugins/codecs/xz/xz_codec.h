// The xz codec: one .xz stream (LZMA2 filter, CRC64 check) per payload.
#pragma once

#include <prowl/sdk.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace prowl::codecs {

/// Compresses with liblzma presets 1 (fastest) to 9 (strongest); 0 = the
/// default preset 6; liblzma's own preset 0 is not offered. Decoding memory is
/// capped at kDecoderMemLimit, enough for every preset. Thread-safe.
class XzCodec : public Codec {
 public:
  static constexpr std::string_view kName = "xz";
  static constexpr int32_t kMinLevel = 1;
  static constexpr int32_t kMaxLevel = 9;
  /// The most memory a stream may need to decode (preset 9 needs 65 MiB).
  static constexpr uint64_t kDecoderMemLimit = uint64_t{128} << 20;

  /// Writes one .xz stream; throws InvalidInput for a level out of range.
  std::string compress(std::span<const uint8_t> in, int32_t level, Output& out) override;
  /// Accepts exactly one .xz stream (its check is verified) that expands to
  /// exactly original_size bytes; decodes straight into the writer. A stream
  /// needing more than kDecoderMemLimit fails with LimitExceeded.
  void decompress(std::span<const uint8_t> in, size_t original_size, Output& out) override;
};

}  // namespace prowl::codecs
