// Incremental decoder of multistream-select messages from an untrusted
// byte stream.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace prowl::multistream {

/// Buffers bytes and cuts them into messages, one per next() call.
/// Refuses non-minimal or oversized length prefixes (over kMaxMessageBytes),
/// empty messages, a missing trailing '\n' and text that is not UTF-8; the
/// first error is final. Not thread-safe.
class MessageDecoder {
 public:
  enum class Result { kMessage, kNeedMore, kError };

  /// Appends `bytes` to the buffer.
  void feed(std::span<const uint8_t> bytes);

  /// Decodes the next buffered message. On kMessage, message() holds its
  /// text without the newline; on kError, error() says what and at which
  /// stream offset.
  Result next();

  /// The text of the message the last kMessage returned.
  const std::string& message() const noexcept { return message_; }

  /// Why decoding failed, once next() has returned kError.
  const std::string& error() const noexcept { return error_; }

  /// Removes and returns the bytes fed but not yet decoded.
  std::vector<uint8_t> take_buffered();

 private:
  Result fail(size_t at, const std::string& what);

  std::vector<uint8_t> buffer_;
  size_t head_ = 0;      ///< bytes of buffer_ already decoded
  size_t consumed_ = 0;  ///< stream offset of buffer_[0]
  std::string message_;
  std::string error_;
};

}  // namespace prowl::multistream
