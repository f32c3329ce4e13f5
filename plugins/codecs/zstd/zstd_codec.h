// The zstd codec: one Zstandard frame (RFC 8878) per payload.
#pragma once

#include <prowl/sdk.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace prowl::codecs {

/// Compresses with libzstd. Levels ZSTD_minCLevel() (-131072, fastest) to
/// ZSTD_maxCLevel() (22); 0 = libzstd's default (3). Thread-safe: each
/// thread keeps its own compression and decompression context.
class ZstdCodec : public Codec {
 public:
  static constexpr std::string_view kName = "zstd";

  /// The most negative (fastest) level accepted.
  static int32_t min_level() noexcept;
  /// The highest (strongest) level accepted.
  static int32_t max_level() noexcept;

  /// Writes one frame with the content size in its header; throws
  /// InvalidInput for a level out of range.
  std::string compress(std::span<const uint8_t> in, int32_t level, Output& out) override;
  /// Accepts exactly one frame that expands to exactly original_size bytes;
  /// decodes straight into the writer, never past original_size.
  void decompress(std::span<const uint8_t> in, size_t original_size, Output& out) override;
};

}  // namespace prowl::codecs
