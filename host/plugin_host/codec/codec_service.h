// Framed, bounded compression through codec plugins.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "host/plugin_host/loader/output_buffer.h"
#include "host/plugin_host/loader/registry.h"

namespace prowl::codec {

/// A compression or decompression failure; what() is one line.
class CodecError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The codec name that, as the codec a frame must name, accepts every codec:
/// "auto" writes frames that name the codec it picked, so a frame "auto"
/// compressed may name any codec.
inline constexpr std::string_view kAnyCodec = "auto";

/// Bounds on what a decompression may produce.
struct Limits {
  /// Largest original length a frame may declare, in bytes.
  size_t max_output = size_t{256} << 20;
};

/// Compresses into self-describing frames (see host/plugin_host/codec/frame.h) and
/// decompresses them with whatever codec the frame names.
/// Thread-safe (const calls only; codec plugins are thread-safe by contract).
class CodecService {
 public:
  /// REQUIRES: registry outlives this service.
  explicit CodecService(const plugins::Registry& registry, Limits limits = {});

  /// Compresses `in` with codec `codec` (level 0 = its default) into a frame.
  /// Throws CodecError (unknown codec, plugin failure).
  std::vector<uint8_t> compress(std::string_view codec, std::span<const uint8_t> in,
                                int32_t level = 0) const;

  /// Decompresses one frame. Throws CodecError naming what was wrong: a bad
  /// header, an unknown codec, a declared length over Limits::max_output, or
  /// data that does not expand to exactly the declared length.
  std::vector<uint8_t> decompress(std::span<const uint8_t> framed) const;

  /// compress() into `out` (cleared first), without extra copies.
  void compress_into(std::string_view codec, std::span<const uint8_t> in, int32_t level,
                     plugins::OutputBuffer& out) const;

  /// decompress() into `out` (cleared first), without zero-filling or copies.
  /// With `expect` set (and not kAnyCodec), first refuses a frame that names
  /// another codec, with a CodecError naming both.
  void decompress_into(std::span<const uint8_t> framed, plugins::OutputBuffer& out,
                       std::string_view expect = {}) const;

  const Limits& limits() const noexcept { return limits_; }

 private:
  const plugins::Plugin& codec_plugin(std::string_view name) const;

  const plugins::Registry& registry_;
  Limits limits_;
};

}  // namespace prowl::codec
