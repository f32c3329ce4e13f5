#include "host/services/rr/frame_reader.h"

#include <algorithm>

#include "host/base/encoding/varint.h"

namespace prowl::rr {

std::vector<uint8_t> encode_response(uint8_t status, std::span<const uint8_t> payload) {
  std::vector<uint8_t> frame;
  frame.reserve(1 + encoding::varint_size(payload.size()) + payload.size());
  frame.push_back(status);
  encoding::append_varint(frame, payload.size());
  frame.insert(frame.end(), payload.begin(), payload.end());
  return frame;
}

FrameReader::FrameReader(size_t max_payload, bool with_status)
    : max_payload_(max_payload), need_status_(with_status) {}

void FrameReader::fail(State state, std::string message) {
  state_ = state;
  error_ = std::move(message);
  payload_.clear();
}

void FrameReader::on_prefix_byte(uint8_t byte) {
  prefix_[prefix_size_++] = byte;
  const auto length = encoding::decode_varint(std::span<const uint8_t>(prefix_.data(), prefix_size_));
  if (length.status == encoding::VarintResult::Status::kInvalid)
    return fail(State::kMalformed, "malformed length at byte " + std::to_string(offset_) + ": " + length.error);
  if (length.status == encoding::VarintResult::Status::kIncomplete) {
    if (prefix_size_ == encoding::kVarintMaxBytes)
      fail(State::kMalformed, "length prefix longer than " + std::to_string(encoding::kVarintMaxBytes) +
                                  " bytes at byte " + std::to_string(offset_));
    return;
  }
  if (length.value > max_payload_)
    return fail(State::kTooLarge, "frame of " + std::to_string(length.value) + " bytes exceeds the limit of " +
                                      std::to_string(max_payload_));
  have_length_ = true;
  length_ = static_cast<size_t>(length.value);
  payload_.reserve(std::min<size_t>(length_, 64 * 1024));
  if (length_ == 0) state_ = State::kComplete;
}

void FrameReader::on_bytes(std::span<const uint8_t> bytes) {
  size_t i = 0;
  while (i < bytes.size() && state_ == State::kIncomplete) {
    if (need_status_) {
      status_ = bytes[i++];
      need_status_ = false;
      ++offset_;
    } else if (!have_length_) {
      const uint8_t byte = bytes[i++];
      on_prefix_byte(byte);
      ++offset_;
    } else {
      const size_t n = std::min(bytes.size() - i, length_ - payload_.size());
      payload_.insert(payload_.end(), bytes.begin() + static_cast<ptrdiff_t>(i),
                      bytes.begin() + static_cast<ptrdiff_t>(i + n));
      i += n;
      offset_ += n;
      if (payload_.size() == length_) state_ = State::kComplete;
    }
  }
  if (i < bytes.size() && state_ == State::kComplete)
    fail(State::kMalformed, "unexpected byte after the frame at byte " + std::to_string(offset_));
}

void FrameReader::on_end() {
  if (state_ != State::kIncomplete) return;
  fail(State::kMalformed, "stream ended inside the frame after " + std::to_string(offset_) + " bytes");
}

}  // namespace prowl::rr
