// The libp2p noise handshake (github.com/libp2p/specs noise/README.md):
// Noise_XX_25519_ChaChaPoly_SHA256 with an empty prologue, whose messages 2
// and 3 carry a NoiseHandshakePayload binding the sender's static X25519 key
// to its libp2p identity by an identity signature over
// "noise-libp2p-static-key:" || static public key.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "host/base/identity/key_pair.h"
#include "host/base/identity/peer_id.h"
#include "host/base/identity/public_key.h"
#include "host/wire/noise/cipher_state.h"
#include "host/wire/noise/handshake_state.h"

namespace prowl::noise {

/// The NoiseExtensions of a handshake payload.
struct Extensions {
  std::vector<std::vector<uint8_t>> webtransport_certhashes;
  std::vector<std::string> stream_muxers;  ///< in preference order, e.g. "/yamux/1.0.0"
  bool operator==(const Extensions&) const = default;
};

/// Sans-IO libp2p noise handshake. The caller moves bytes: write_message()
/// appends our next length-framed message, read_message() takes the peer's
/// next message with its length prefix already removed (see FrameDecoder).
/// A fresh static X25519 key is made per handshake. After any failure every
/// call fails. Not thread-safe.
class Handshake {
 public:
  struct Options {
    /// The peer we dialled; the handshake fails unless the remote proves it.
    std::optional<identity::PeerId> expected_remote;
    /// Sent in our payload (messages 2 and 3 only, as the spec requires).
    Extensions extensions;
  };

  /// Prepares our signed payload. `identity` is only used here; no reference
  /// is kept.
  Handshake(Role role, const identity::KeyPair& identity, Options options = {});

  /// Whether we dialled (initiator) or accepted (responder).
  Role role() const { return state_.role(); }
  /// True when the next step is write_message().
  bool wants_to_write() const { return !failed_ && state_.is_my_turn(); }
  /// True once all three messages went through and the peer is verified.
  bool is_complete() const { return !failed_ && state_.finished(); }
  /// True after any failure; the connection must then be closed.
  bool failed() const { return failed_; }

  /// Appends our next message, framed (2-byte big-endian length + message).
  /// REQUIRES: error != nullptr. Returns false with `*error` set when it is
  /// not our turn or the handshake failed.
  [[nodiscard]] bool write_message(std::vector<uint8_t>& out, std::string* error);

  /// Consumes the peer's next Noise message. Returns false with `*error`
  /// naming the problem: bad length, "handshake message authentication
  /// failed", a malformed payload protobuf, an unsupported or malformed
  /// identity key, "identity signature over static key invalid", or "remote
  /// peer id X does not match expected Y". REQUIRES: error != nullptr.
  [[nodiscard]] bool read_message(std::span<const uint8_t> message, std::string* error);

  /// The verified remote identity. REQUIRES: the peer's payload was accepted
  /// (is_complete(), or the initiator after reading message 2).
  const identity::PeerId& remote_peer_id() const { return remote_->peer_id; }
  /// The remote identity key. REQUIRES: as remote_peer_id().
  const identity::PublicKey& remote_public_key() const { return remote_->public_key; }
  /// The extensions the remote sent (empty if none). REQUIRES: as remote_peer_id().
  const Extensions& remote_extensions() const { return remote_->extensions; }
  /// The Noise handshake hash (a channel binding once complete).
  const Hash& handshake_hash() const { return state_.handshake_hash(); }

  /// Our {send, receive} cipher states. REQUIRES: is_complete(). Throws
  /// std::logic_error on a second call, so no two channels share nonces.
  std::pair<CipherState, CipherState> take_cipher_states();

 private:
  struct Remote {
    identity::PeerId peer_id;
    identity::PublicKey public_key;
    Extensions extensions;
  };
  bool accept_payload(std::span<const uint8_t> payload, std::string* error);

  HandshakeState state_;
  std::vector<uint8_t> payload_;  // our serialized NoiseHandshakePayload
  std::optional<identity::PeerId> expected_remote_;
  std::optional<Remote> remote_;
  bool failed_ = false;
  bool ciphers_taken_ = false;
};

}  // namespace prowl::noise
