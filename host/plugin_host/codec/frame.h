// The prowl compression frame.
//
//   offset  size      field
//   0       4         magic "PRWZ" (0x50 0x52 0x57 0x5a)
//   4       1         format version, 1
//   5       1         n = length of the codec name, 1..63
//   6       n         codec name, [a-z0-9][a-z0-9_-]* (the codec whose format
//                     the payload is in, e.g. "zstd" even when "auto" chose it)
//   6+n     1..9      original (uncompressed) length, unsigned varint
//                     (multiformats: minimal, at most 2^63-1)
//   ...     rest      payload in that codec's raw format, to the end
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace prowl::codec {

/// The frame's magic bytes.
inline constexpr uint8_t kFrameMagic[4] = {'P', 'R', 'W', 'Z'};
/// The only frame format version this host writes and reads.
inline constexpr uint8_t kFrameVersion = 1;

/// A parsed frame header.
struct FrameHeader {
  std::string codec;         ///< the codec whose raw format the payload is in
  uint64_t original_size = 0;
  size_t header_size = 0;    ///< bytes before the payload
};

/// Parses the header at the front of `frame`. On failure returns nullopt and
/// a one-line reason naming the field (and offset) that was wrong.
std::optional<FrameHeader> parse_frame_header(std::span<const uint8_t> frame, std::string* error);

/// Encodes a header (REQUIRES: codec is a valid plugin name,
/// original_size <= 2^63-1).
std::vector<uint8_t> encode_frame_header(std::string_view codec, uint64_t original_size);

}  // namespace prowl::codec
