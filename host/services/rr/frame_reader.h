// The request-response wire frames (sans-IO). A request is
// <uvarint length><payload>; a response is <status byte><uvarint length><payload>,
// where status 0 carries the response and any other prowl status carries the
// responder's error text.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace prowl::rr {

/// The longest error text a response frame carries.
inline constexpr size_t kMaxErrorBytes = 1024;

/// Encodes a response frame: status (0 = ok), length, payload.
std::vector<uint8_t> encode_response(uint8_t status, std::span<const uint8_t> payload);

/// Decodes one frame fed in pieces. Not thread-safe.
class FrameReader {
 public:
  enum class State { kIncomplete, kComplete, kTooLarge, kMalformed };

  /// A reader of frames whose payload may hold at most max_payload bytes
  /// (kMaxErrorBytes for error responses); with_status for responses.
  FrameReader(size_t max_payload, bool with_status);

  /// Consumes the bytes of the frame. A byte past a complete frame, a
  /// malformed length, or a payload over the limit ends decoding with an
  /// error naming the offset.
  void on_bytes(std::span<const uint8_t> bytes);
  /// The sender finished: an incomplete frame becomes kMalformed.
  void on_end();

  State state() const noexcept { return state_; }
  /// One line naming what was wrong and where; empty unless an error state.
  const std::string& error() const noexcept { return error_; }
  /// The status byte of a response (0 for requests).
  uint8_t status() const noexcept { return status_; }
  /// The payload of a complete frame.
  std::vector<uint8_t> take_payload() { return std::move(payload_); }

 private:
  void fail(State state, std::string message);
  void on_prefix_byte(uint8_t byte);

  size_t max_payload_;
  bool need_status_;
  State state_ = State::kIncomplete;
  std::string error_;
  uint8_t status_ = 0;
  std::array<uint8_t, 10> prefix_{};
  size_t prefix_size_ = 0;
  bool have_length_ = false;
  size_t length_ = 0;
  size_t offset_ = 0;  ///< bytes consumed so far
  std::vector<uint8_t> payload_;
};

}  // namespace prowl::rr
