// Routes the plaintext of Noise frames before the Yamux session sees it, so
// that payload a reader is waiting for is decrypted straight into the
// reader's buffer instead of being decrypted in place and copied.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <utility>
#include <vector>

#include "host/wire/yamux/frame_decoder.h"
#include "host/wire/yamux/frame_header.h"

namespace prowl::swarm {

/// Sans-IO. Follows the Yamux frames of the plaintext stream one piece ahead
/// of the session: the caller asks route() where the next piece goes,
/// decrypts it there, reports it with routed(), and later feeds the same
/// bytes in the same order to the session. Payload of stream S goes to
/// S's reader at the position it will have once everything routed before it
/// was delivered, so the session's StreamData for it views the reader's buffer
/// where the bytes belong. Not thread-safe.
class PayloadRouter {
 public:
  /// The unfilled part of the buffer a reader of stream `id` waits with, or
  /// empty when none waits. Must not change between delivered() calls except
  /// by the delivery of routed bytes.
  using ReaderRoom = std::function<std::span<uint8_t>(yamux::StreamId id)>;

  explicit PayloadRouter(ReaderRoom reader_room);

  /// Where to decrypt the next plaintext bytes, `offset` bytes into the body
  /// of a Noise frame, whose ciphertext is `in_place` (REQUIRES: non-empty):
  /// a prefix of `in_place` (Yamux headers, payload nobody waits for) or part
  /// of a waiting reader's buffer. The size of the span returned is the
  /// length of the piece; then call routed(). A header's piece extends to the
  /// next 64-byte boundary of the body, so that the payload behind it is
  /// decrypted from a ChaCha20 block boundary (the rest of that block is
  /// payload decrypted in place, then copied).
  std::span<uint8_t> route(std::span<uint8_t> in_place, size_t offset);

  /// The piece route() returned last, now decrypted there.
  void routed(std::span<const uint8_t> plaintext);

  /// Plaintext that reached the session without being routed (the bytes the
  /// upgrade decrypted); keeps the frame tracking in step.
  void skip(std::span<const uint8_t> plaintext) { routed(plaintext); }

  /// Everything routed so far was handed to the session and its events were
  /// dispatched: readers' rooms are measured afresh from now on.
  void delivered() noexcept { streams_.clear(); }

 private:
  ReaderRoom reader_room_;
  yamux::FrameDecoder frames_;
  /// Payload bytes per stream routed since delivered(), wherever they went.
  std::vector<std::pair<yamux::StreamId, size_t>> streams_;
};

}  // namespace prowl::swarm
