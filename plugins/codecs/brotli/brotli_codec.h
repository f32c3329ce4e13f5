// The brotli codec: one Brotli stream (RFC 7932) per payload.
#pragma once

#include <prowl/sdk.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace prowl::codecs {

/// Compresses with libbrotlienc, generic mode, window 2^22. Qualities 1
/// (fastest) to 11 (strongest); 0 = brotli's default, 11, which is slow
/// (about 1 MB/s); brotli's own quality 0 is not offered. Thread-safe.
class BrotliCodec : public Codec {
 public:
  static constexpr std::string_view kName = "brotli";
  static constexpr int32_t kMinLevel = 1;
  static constexpr int32_t kMaxLevel = 11;

  /// Writes one stream; throws InvalidInput for a quality out of range.
  std::string compress(std::span<const uint8_t> in, int32_t level, Output& out) override;
  /// Accepts exactly one stream that expands to exactly original_size bytes;
  /// decodes straight into the writer, never past original_size.
  void decompress(std::span<const uint8_t> in, size_t original_size, Output& out) override;
};

}  // namespace prowl::codecs
