// The Noise SymmetricState (Noise spec section 5.2) for SHA-256: the
// chaining key ck, the handshake hash h and the handshake CipherState.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "host/wire/noise/cipher_state.h"

namespace prowl::noise {

/// SHA-256 output length, Noise's HASHLEN.
inline constexpr size_t kHashLength = 32;
using Hash = std::array<uint8_t, kHashLength>;

/// Noise HKDF with two outputs: temp = HMAC-SHA256(chaining_key, ikm),
/// out1 = HMAC(temp, 0x01), out2 = HMAC(temp, out1 || 0x02). This equals
/// RFC 5869 HKDF with salt = chaining_key, empty info and 64 output bytes.
std::pair<Hash, Hash> hkdf2(std::span<const uint8_t> chaining_key, std::span<const uint8_t> ikm);

/// Handshake symmetric state. Not thread-safe.
class SymmetricState {
 public:
  /// Noise InitializeSymmetric(protocol_name): h = name zero-padded when it
  /// fits in 32 bytes, else SHA-256(name); ck = h; no cipher key.
  explicit SymmetricState(std::string_view protocol_name);
  /// Wipes the chaining key.
  ~SymmetricState();
  SymmetricState(SymmetricState&&) noexcept = default;
  SymmetricState& operator=(SymmetricState&&) noexcept = default;

  /// h = SHA-256(h || data).
  void mix_hash(std::span<const uint8_t> data);
  /// ck, k = HKDF(ck, input_key_material); the cipher restarts at nonce 0.
  void mix_key(std::span<const uint8_t> input_key_material);
  /// Encrypts `plaintext` with ad = h into `out` (overhead() more bytes),
  /// then mixes the ciphertext into h. Returns false on nonce exhaustion.
  /// REQUIRES: `out` large enough and not overlapping `plaintext`.
  [[nodiscard]] bool encrypt_and_hash(std::span<const uint8_t> plaintext, std::span<uint8_t> out);
  /// Decrypts `ciphertext` with ad = h into `out` (overhead() fewer bytes),
  /// then mixes the ciphertext into h. Returns false if authentication fails.
  /// REQUIRES: `out` large enough and not overlapping `ciphertext`.
  [[nodiscard]] bool decrypt_and_hash(std::span<const uint8_t> ciphertext, std::span<uint8_t> out);
  /// Bytes encrypt_and_hash adds (16 once a key is mixed in, else 0).
  size_t overhead() const { return cipher_.overhead(); }
  /// Noise Split: the initiator-to-responder and responder-to-initiator
  /// cipher states, in that order.
  std::pair<CipherState, CipherState> split() const;
  /// The handshake hash h (Noise GetHandshakeHash once the handshake ends).
  const Hash& handshake_hash() const { return h_; }

 private:
  Hash ck_{};
  Hash h_{};
  CipherState cipher_;
};

}  // namespace prowl::noise
