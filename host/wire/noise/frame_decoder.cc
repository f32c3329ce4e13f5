#include "host/wire/noise/frame_decoder.h"

#include <algorithm>

namespace prowl::noise {
namespace {

size_t frame_length(const uint8_t* header) { return (size_t{header[0]} << 8) | header[1]; }

// Moves up to `want` bytes from the front of `in` to the end of `out`.
void take(std::span<const uint8_t>& in, std::vector<uint8_t>& out, size_t want) {
  const size_t n = std::min(want, in.size());
  out.insert(out.end(), in.begin(), in.begin() + static_cast<ptrdiff_t>(n));
  in = in.subspan(n);
}

}  // namespace

size_t FrameDecoder::whole_frame(std::span<const uint8_t> in) {
  if (in.size() < kFrameHeaderLength) return 0;
  const size_t total = kFrameHeaderLength + frame_length(in.data());
  return in.size() >= total ? total : 0;
}

std::optional<std::span<uint8_t>> FrameDecoder::next_in_place(std::span<uint8_t>& in) {
  if (buffered() == 0) {
    const size_t total = whole_frame(in);
    if (total == 0) return std::nullopt;
    auto frame = in.subspan(kFrameHeaderLength, total - kFrameHeaderLength);
    in = in.subspan(total);
    return frame;
  }
  std::span<const uint8_t> rest = in;
  const bool complete = next(rest).has_value();
  in = in.last(rest.size());
  if (!complete) return std::nullopt;
  return std::span<uint8_t>(buffer_).subspan(kFrameHeaderLength);
}

std::optional<std::span<const uint8_t>> FrameDecoder::next(std::span<const uint8_t>& in) {
  if (returned_from_buffer_) {
    buffer_.clear();
    returned_from_buffer_ = false;
  }
  if (buffer_.empty()) {
    if (const size_t total = whole_frame(in); total != 0) {
      auto frame = in.subspan(kFrameHeaderLength, total - kFrameHeaderLength);
      in = in.subspan(total);
      return frame;
    }
  }
  if (buffer_.size() < kFrameHeaderLength) take(in, buffer_, kFrameHeaderLength - buffer_.size());
  if (buffer_.size() < kFrameHeaderLength) return std::nullopt;
  const size_t total = kFrameHeaderLength + frame_length(buffer_.data());
  buffer_.reserve(total);
  take(in, buffer_, total - buffer_.size());
  if (buffer_.size() < total) return std::nullopt;
  returned_from_buffer_ = true;
  return std::span<const uint8_t>(buffer_).subspan(kFrameHeaderLength);
}

}  // namespace prowl::noise
