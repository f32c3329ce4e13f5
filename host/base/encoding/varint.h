// Unsigned varints as multiformats defines them (LEB128, at most 9 bytes,
// minimal encoding only, values below 2^63).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace prowl::encoding {

/// The largest value a multiformats varint may carry.
inline constexpr uint64_t kVarintMax = (uint64_t{1} << 63) - 1;
/// The longest encoding, in bytes.
inline constexpr size_t kVarintMaxBytes = 9;

/// Outcome of decoding a varint from the front of a buffer.
struct VarintResult {
  enum class Status { kOk, kIncomplete, kInvalid };
  Status status = Status::kIncomplete;
  uint64_t value = 0;
  size_t length = 0;  ///< bytes consumed when kOk
  const char* error = nullptr;  ///< why, when kInvalid
};

/// Decodes the varint at the front of `in`. kIncomplete means more bytes are
/// needed; kInvalid means the bytes can never form a valid varint
/// (over 9 bytes, over 2^63-1, or a non-minimal encoding).
VarintResult decode_varint(std::span<const uint8_t> in) noexcept;

/// Appends the encoding of `value` (REQUIRES: value <= kVarintMax).
void append_varint(std::vector<uint8_t>& out, uint64_t value);

/// Number of bytes append_varint writes for `value`.
size_t varint_size(uint64_t value) noexcept;

}  // namespace prowl::encoding
