#include "host/wire/yamux/frame_decoder.h"

#include <algorithm>
#include <cstring>

namespace prowl::yamux {

FrameDecoder::Item FrameDecoder::next(std::span<const uint8_t>& in) noexcept {
  Item item;
  if (payload_left_ > 0) {
    const size_t n = std::min<size_t>(payload_left_, in.size());
    if (n == 0) return item;
    item.kind = Item::Kind::kPayload;
    item.header = header_;
    item.payload = in.first(n);
    item.frame_offset = frame_offset_;
    in = in.subspan(n);
    offset_ += n;
    payload_left_ -= static_cast<uint32_t>(n);
    item.frame_end = payload_left_ == 0;
    return item;
  }

  if (have_ == 0) frame_offset_ = offset_;
  if (have_ == 0 && in.size() >= kHeaderSize) {
    header_ = decode_header(in.first<kHeaderSize>());
    in = in.subspan(kHeaderSize);
    offset_ += kHeaderSize;
  } else {
    const size_t n = std::min(kHeaderSize - have_, in.size());
    std::memcpy(partial_.data() + have_, in.data(), n);
    have_ += n;
    in = in.subspan(n);
    offset_ += n;
    if (have_ < kHeaderSize) return item;
    header_ = decode_header(partial_);
    have_ = 0;
  }
  item.kind = Item::Kind::kHeader;
  item.header = header_;
  item.frame_offset = frame_offset_;
  payload_left_ = header_.type == FrameType::kData ? header_.length : 0;
  item.frame_end = payload_left_ == 0;
  return item;
}

}  // namespace prowl::yamux
