// The Noise HandshakeState (Noise spec section 5.3) for the one pattern
// libp2p uses, Noise_XX_25519_ChaChaPoly_SHA256:
//   -> e
//   <- e, ee, s, es
//   -> s, se
// Payloads are opaque bytes here; handshake.h adds the libp2p payload.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "host/wire/noise/cipher_state.h"
#include "host/wire/noise/dh_key_pair.h"
#include "host/wire/noise/symmetric_state.h"

namespace prowl::noise {

/// Which side of the handshake a party plays: the dialer initiates.
enum class Role { kInitiator, kResponder };

/// The largest Noise message, handshake or transport (Noise spec section 3).
inline constexpr size_t kMaxMessageLength = 65535;

/// Sans-IO XX handshake state: write_message/read_message produce and
/// consume whole Noise messages (no length prefix). After any failure the
/// state refuses further use. Not thread-safe.
class HandshakeState {
 public:
  static constexpr std::string_view kProtocolName = "Noise_XX_25519_ChaChaPoly_SHA256";
  static constexpr size_t kMessageCount = 3;

  /// REQUIRES: `ephemeral_key` is fresh for this handshake (tests may fix it).
  HandshakeState(Role role, const DhKeyPair& static_key, const DhKeyPair& ephemeral_key,
                 std::span<const uint8_t> prologue);

  /// Our side of the handshake.
  Role role() const { return role_; }
  /// Index (0..2) of the next message, kMessageCount once finished.
  size_t message_index() const { return index_; }
  /// True when the next message is ours to write.
  bool is_my_turn() const { return !finished() && (index_ % 2 == 0) == (role_ == Role::kInitiator); }
  /// True after all three messages went through.
  bool finished() const { return index_ == kMessageCount; }
  /// True after a failed read or write.
  bool failed() const { return failed_; }
  /// Largest payload the next message can carry within kMaxMessageLength.
  size_t max_payload_length() const;

  /// Appends the next message carrying `payload` to `out`. Returns false with
  /// `*error` set when it is not our turn, the payload is too large, or the
  /// state has failed. REQUIRES: error != nullptr.
  [[nodiscard]] bool write_message(std::span<const uint8_t> payload, std::vector<uint8_t>& out,
                                   std::string* error);

  /// Consumes the peer's next message and stores its decrypted payload in
  /// `payload`. Returns false with `*error` naming the problem (wrong turn,
  /// bad length, low-order key, authentication failure); the state is then
  /// failed. REQUIRES: error != nullptr.
  [[nodiscard]] bool read_message(std::span<const uint8_t> message, std::vector<uint8_t>& payload,
                                  std::string* error);

  /// The peer's static X25519 key once received (after message 2 for the
  /// initiator, message 3 for the responder).
  const std::optional<DhKeyPair::Key>& remote_static() const { return remote_static_; }
  /// Our static X25519 public key.
  const DhKeyPair::Key& local_static() const { return static_.public_key(); }
  /// The handshake hash h; binds the whole transcript once finished().
  const Hash& handshake_hash() const { return symmetric_.handshake_hash(); }
  /// Noise Split: {initiator-to-responder, responder-to-initiator}.
  /// REQUIRES: finished().
  std::pair<CipherState, CipherState> split() const;

 private:
  enum class Token { kE, kS, kEE, kES, kSE };
  static std::span<const Token> pattern(size_t index);
  bool mix_dh(Token token, std::string* error);
  bool fail(std::string* error, std::string message);

  Role role_;
  DhKeyPair static_;
  DhKeyPair ephemeral_;
  std::optional<DhKeyPair::Key> remote_static_;
  std::optional<DhKeyPair::Key> remote_ephemeral_;
  SymmetricState symmetric_;
  size_t index_ = 0;
  bool failed_ = false;
};

}  // namespace prowl::noise
