#include "host/wire/multistream/message_decoder.h"

#include <algorithm>

#include "host/base/encoding/varint.h"
#include "host/wire/multistream/message.h"

namespace prowl::multistream {

void MessageDecoder::feed(std::span<const uint8_t> bytes) {
  if (head_ > 0 && head_ * 2 >= buffer_.size()) {
    buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(head_));
    consumed_ += head_;
    head_ = 0;
  }
  buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
}

MessageDecoder::Result MessageDecoder::next() {
  if (!error_.empty()) return Result::kError;
  const std::span<const uint8_t> rest = std::span(buffer_).subspan(head_);
  // Only the bytes a prefix up to kMaxMessageBytes needs are looked at, so
  // the verdict does not depend on how much of the stream has arrived.
  const size_t prefix_bytes = encoding::varint_size(kMaxMessageBytes);
  const auto length = encoding::decode_varint(rest.first(std::min(rest.size(), prefix_bytes)));
  using Status = encoding::VarintResult::Status;
  if (length.status == Status::kInvalid)
    return fail(0, std::string("invalid length prefix: ") + length.error);
  const std::string limit = " exceeds " + std::to_string(kMaxMessageBytes) + " bytes";
  if (length.status == Status::kIncomplete) {
    if (rest.size() < prefix_bytes) return Result::kNeedMore;
    return fail(0, "message length" + limit);
  }
  if (length.value > kMaxMessageBytes)
    return fail(0, "message length " + std::to_string(length.value) + limit);
  if (length.value == 0) return fail(0, "empty message");
  const size_t size = static_cast<size_t>(length.value);
  if (rest.size() - length.length < size) return Result::kNeedMore;

  const auto text = rest.subspan(length.length, size - 1);
  if (rest[length.length + size - 1] != '\n')
    return fail(length.length + size - 1, "message does not end with '\\n'");
  if (text.empty()) return fail(length.length, "empty message");
  size_t bad_at = 0;
  if (!is_utf8(text, &bad_at)) return fail(length.length + bad_at, "message is not UTF-8");
  message_.assign(text.begin(), text.end());
  head_ += length.length + size;
  return Result::kMessage;
}

std::vector<uint8_t> MessageDecoder::take_buffered() {
  std::vector<uint8_t> out(buffer_.begin() + static_cast<std::ptrdiff_t>(head_), buffer_.end());
  consumed_ += buffer_.size();
  buffer_.clear();
  head_ = 0;
  return out;
}

MessageDecoder::Result MessageDecoder::fail(size_t at, const std::string& what) {
  error_ = "multistream byte " + std::to_string(consumed_ + head_ + at) + ": " + what;
  return Result::kError;
}

}  // namespace prowl::multistream
