// The libp2p-noise wire framing: every Noise message travels as a 2-byte
// big-endian length followed by that many bytes (so at most 65535).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace prowl::noise {

/// Bytes of the length prefix in front of every Noise message.
inline constexpr size_t kFrameHeaderLength = 2;

/// Writes `length` big-endian into at[0..1]. REQUIRES: length <= 65535.
inline void put_frame_length(uint8_t* at, size_t length) {
  at[0] = static_cast<uint8_t>(length >> 8);
  at[1] = static_cast<uint8_t>(length);
}

/// Incremental deframer. Whole frames already present in the input are
/// returned as views into it without copying; only a frame split across
/// inputs is gathered in an internal buffer (at most 2 + 65535 bytes).
/// Not thread-safe.
class FrameDecoder {
 public:
  /// Returns the next whole frame body (without its length prefix) and
  /// advances `in` past the bytes used. When no whole frame is available,
  /// keeps what `in` holds of a partial frame, empties `in` and returns
  /// nullopt. The view is valid until the next call on this decoder and
  /// while `in`'s storage lives.
  std::optional<std::span<const uint8_t>> next(std::span<const uint8_t>& in);

  /// As next(), over mutable bytes so the caller may decrypt a frame where it
  /// lies, except that an incomplete frame at the end of `in` is left there
  /// (not taken) for the caller to present again with more bytes behind it.
  /// Only when the decoder already holds the start of a frame does it
  /// complete that frame from `in` internally, as next() does.
  std::optional<std::span<uint8_t>> next_in_place(std::span<uint8_t>& in);

  /// Bytes held of a frame not yet complete.
  size_t buffered() const { return returned_from_buffer_ ? 0 : buffer_.size(); }

 private:
  /// Size of the frame at the front of `in`, length prefix included, when
  /// `in` holds all of it; else 0.
  static size_t whole_frame(std::span<const uint8_t> in);

  std::vector<uint8_t> buffer_;
  bool returned_from_buffer_ = false;  // buffer_ holds a frame already handed out
};

}  // namespace prowl::noise
