// The libp2p-noise transport phase: plaintext of any size is cut into Noise
// transport messages of at most 65519 bytes (65535 with the tag), each sent
// behind a 2-byte big-endian length.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "host/wire/noise/cipher_state.h"
#include "host/wire/noise/frame_decoder.h"
#include "host/wire/noise/handshake_state.h"

namespace prowl::noise {

/// Sans-IO encrypted channel after a finished handshake. Encryption and
/// decryption are independent directions and may run on two threads, one
/// each; otherwise not thread-safe.
class SecureChannel {
 public:
  /// Most plaintext bytes one transport message carries.
  static constexpr size_t kMaxPlaintextPerFrame = kMaxMessageLength - Aead::kTagLength;

  /// `send` encrypts what we write, `receive` decrypts what the peer wrote;
  /// `decoder` may carry bytes the peer sent right behind its last handshake
  /// message. REQUIRES: both states have a key (Split() of a finished handshake).
  SecureChannel(CipherState send, CipherState receive, FrameDecoder decoder = {});

  /// Wire bytes that encrypt() produces for `plaintext_length` bytes: one
  /// frame per started 65519 bytes, 18 bytes of framing and tag each; 0 for 0.
  static size_t sealed_size(size_t plaintext_length);

  /// Encrypts `plaintext` into exactly sealed_size(plaintext.size()) bytes of
  /// `out`, written straight from the plaintext (no intermediate copy).
  /// Returns false, writing nothing, when the send nonces would run out.
  /// REQUIRES: out.size() >= sealed_size(plaintext.size()); no overlap;
  /// error != nullptr.
  [[nodiscard]] bool seal(std::span<const uint8_t> plaintext, std::span<uint8_t> out, std::string* error);

  /// As seal(), for the concatenation of `parts` (a gather write: e.g. a
  /// Yamux header and the application's payload are encrypted where they
  /// lie, never joined first). Frames are cut at 65519 plaintext bytes
  /// regardless of part boundaries.
  /// REQUIRES: out.size() >= sealed_size(total of parts); no overlap.
  [[nodiscard]] bool seal_gather(std::span<const std::span<const uint8_t>> parts, std::span<uint8_t> out,
                                 std::string* error);

  /// As seal(), appending the frames to `out`.
  [[nodiscard]] bool encrypt(std::span<const uint8_t> plaintext, std::vector<uint8_t>& out, std::string* error);

  /// Consumes wire bytes and appends the plaintext of every complete frame to
  /// `out`; a trailing partial frame is kept for the next call. Returns false
  /// with `*error` naming the frame and the problem (shorter than the tag,
  /// authentication failure, nonce exhausted); the receive direction is then
  /// dead and every later call fails; plaintext of the good frames before
  /// the bad one stays in `out`. REQUIRES: `in` does not point into `out`;
  /// error != nullptr.
  [[nodiscard]] bool decrypt(std::span<const uint8_t> in, std::vector<uint8_t>& out, std::string* error);

  /// Outcome of open_next().
  struct Opened {
    enum class Status { kPlaintext, kNeedMore, kFailed };
    Status status = Status::kNeedMore;
    std::span<uint8_t> plaintext;  ///< kPlaintext: the decrypted message, in place
  };

  /// Zero-copy receive: decrypts the whole frame at the front of `in` where
  /// it lies and returns its plaintext as a view into `in`'s storage (or into
  /// the channel, for a frame begun before the handshake ended), advancing
  /// `in` past the frame. kNeedMore leaves an incomplete frame in `in`: the
  /// caller presents those bytes again, followed by more, in the next call.
  /// kFailed sets `*error` as decrypt() does and kills the receive direction.
  /// REQUIRES: error != nullptr. The view lives until the next call.
  Opened open_next(std::span<uint8_t>& in, std::string* error);

  /// Outcome of begin_open().
  struct Begun {
    Opened::Status status = Opened::Status::kNeedMore;  ///< kPlaintext: a frame is being opened
    std::span<uint8_t> ciphertext;  ///< kPlaintext: its body without the tag, where it lies
  };

  /// open_next() in steps, for a caller that routes each piece of a frame's
  /// plaintext as it reads the pieces before it (a Yamux header, then its
  /// payload straight into a waiting reader's buffer): begin_open() takes the
  /// next whole frame from `in` as open_next() does and returns its body
  /// without the tag; open_part() decrypts consecutive pieces of that body,
  /// each to where the caller chooses; finish_open() checks the tag. Every
  /// plaintext byte is unauthenticated until finish_open() returns true: act
  /// on none of it before. kFailed and false set `*error` as decrypt() does and
  /// kill the receive direction. REQUIRES: error != nullptr; open_part() and
  /// finish_open() only between a kPlaintext begin_open() and its finish_open(),
  /// with `in`'s storage unchanged meanwhile.
  Begun begin_open(std::span<uint8_t>& in, std::string* error);
  /// Decrypts `ciphertext`, the body bytes right after those of the previous
  /// part, into `out`. REQUIRES: out.size() >= ciphertext.size(); in place or
  /// not overlapping.
  void open_part(std::span<const uint8_t> ciphertext, std::span<uint8_t> out);
  /// Checks the begun frame's tag once all of its body went through open_part().
  [[nodiscard]] bool finish_open(std::string* error);

  /// Transport messages sent so far (the next send nonce).
  uint64_t frames_sent() const { return send_.nonce(); }
  /// Transport messages received so far (the next receive nonce).
  uint64_t frames_received() const { return receive_.nonce(); }

 private:
  /// Checks and decrypts one frame body into `out` (which may be `frame`).
  bool open_frame(std::span<const uint8_t> frame, std::span<uint8_t> out, std::string* error);
  /// False (killing the receive direction) when a frame of `size` bytes
  /// cannot be opened: shorter than the tag, or the nonces are used up.
  bool check_frame(size_t size, std::string* error);
  /// Kills the receive direction for a frame whose tag did not verify; returns false.
  bool authentication_failed(std::string* error);

  CipherState send_;
  CipherState receive_;
  FrameDecoder decoder_;
  bool receive_failed_ = false;
  std::span<const uint8_t> tag_;  ///< the tag of the frame begin_open() began
  std::vector<std::span<const uint8_t>> frame_parts_;  ///< seal()'s scratch, reused
};

}  // namespace prowl::noise
