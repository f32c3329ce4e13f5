// Incremental Yamux frame splitter: fed any slicing of the byte stream, it
// yields each header and then the payload of data frames as views into the
// input, so payload bytes are never buffered or copied here. Holds at most
// one partial 12-byte header.
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "host/wire/yamux/frame_header.h"

namespace prowl::yamux {

class FrameDecoder {
 public:
  /// One step of decoding.
  struct Item {
    enum class Kind { kNeedMore, kHeader, kPayload };
    Kind kind = Kind::kNeedMore;
    FrameHeader header;                 ///< the current frame's header (kHeader, kPayload)
    std::span<const uint8_t> payload;   ///< kPayload: next payload bytes, a view into the input
    bool frame_end = false;             ///< this item completes the frame
    uint64_t frame_offset = 0;          ///< offset of the frame's first byte in the whole stream
  };

  /// Takes the next item from the front of `in` and advances `in` past the
  /// bytes it used. kNeedMore means `in` was used up without completing an item.
  /// Only data frames carry a payload (of header.length bytes).
  Item next(std::span<const uint8_t>& in) noexcept;

  /// Payload bytes of the current data frame still to come; 0 when the next
  /// bytes are (part of) a header.
  uint32_t payload_left() const noexcept { return payload_left_; }
  /// The header of the frame whose payload is coming. REQUIRES: payload_left() > 0.
  const FrameHeader& header() const noexcept { return header_; }
  /// Bytes that complete the next header. REQUIRES: payload_left() == 0.
  size_t header_left() const noexcept { return kHeaderSize - have_; }

  /// Total bytes taken so far.
  uint64_t offset() const noexcept { return offset_; }

 private:
  std::array<uint8_t, kHeaderSize> partial_{};
  size_t have_ = 0;              // bytes of a partial header in partial_
  uint32_t payload_left_ = 0;    // payload bytes of the current data frame still to come
  FrameHeader header_;           // current frame while its payload is pending
  uint64_t offset_ = 0;
  uint64_t frame_offset_ = 0;
};

}  // namespace prowl::yamux
