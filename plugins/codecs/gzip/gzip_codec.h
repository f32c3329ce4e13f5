// The gzip codec: one gzip member (RFC 1952) per payload.
#pragma once

#include <prowl/sdk.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace prowl::codecs {

/// Compresses with zlib in gzip format. Levels 1 (fastest) to 9 (strongest);
/// 0 = zlib's default (6); zlib's own level 0 (stored) is not offered.
/// Thread-safe (no shared state).
class GzipCodec : public Codec {
 public:
  static constexpr std::string_view kName = "gzip";
  static constexpr int32_t kMinLevel = 1;
  static constexpr int32_t kMaxLevel = 9;

  /// Writes one gzip member; throws InvalidInput for a level out of range.
  std::string compress(std::span<const uint8_t> in, int32_t level, Output& out) override;
  /// Accepts exactly one gzip member (its CRC-32 and length are checked)
  /// that expands to exactly original_size bytes; decodes into the writer.
  void decompress(std::span<const uint8_t> in, size_t original_size, Output& out) override;
};

}  // namespace prowl::codecs
