// The lz4 codec: one LZ4 block (no frame; the host frame carries the size).
#pragma once

#include <prowl/sdk.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace prowl::codecs {

/// Compresses with liblz4's block API, levels as in lz4frame: 0, 1 and 2 =
/// the default fast mode; -1 to -65537 = fast mode with acceleration 1..65537
/// (faster, larger); 3 to 12 = LZ4 HC at that level. Inputs and outputs are
/// limited to LZ4_MAX_INPUT_SIZE (about 2 GiB). Thread-safe (no shared state).
class Lz4Codec : public Codec {
 public:
  static constexpr std::string_view kName = "lz4";
  static constexpr int32_t kMinLevel = -65537;
  static constexpr int32_t kMaxLevel = 12;

  /// Writes one block; throws InvalidInput for a level out of range and
  /// LimitExceeded for an input over the block limit.
  std::string compress(std::span<const uint8_t> in, int32_t level, Output& out) override;
  /// Decodes one block, which must fill exactly original_size bytes and use
  /// every input byte; decodes straight into the writer.
  void decompress(std::span<const uint8_t> in, size_t original_size, Output& out) override;
};

}  // namespace prowl::codecs
