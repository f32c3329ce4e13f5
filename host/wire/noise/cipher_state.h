// The Noise CipherState (Noise spec section 5.1) for ChaChaPoly: a key, if
// any, and a 64-bit message counter used as the nonce.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "host/wire/noise/aead.h"

namespace prowl::noise {

/// Encrypts or decrypts one Noise message at a time with nonce n, then
/// increments n. The nonce goes into the AEAD as 4 zero bytes followed by n
/// in little-endian. Not thread-safe.
class CipherState {
 public:
  /// Nonce value 2^64-1 is reserved by Noise; once n reaches it the state
  /// refuses to encrypt or decrypt.
  static constexpr uint64_t kMaxNonce = ~uint64_t{0};

  /// A state without a key: encrypt/decrypt pass bytes through unchanged.
  CipherState() = default;
  /// A state keyed with `key`, nonce 0.
  explicit CipherState(const Aead::Key& key) : aead_(key) {}

  /// Whether a key is set.
  bool has_key() const { return aead_.has_value(); }
  /// The next nonce.
  uint64_t nonce() const { return n_; }
  /// Noise SetNonce; for resynchronising and for tests.
  void set_nonce(uint64_t n) { n_ = n; }

  /// Noise EncryptWithAd: writes plaintext.size() + kTagLength bytes (or the
  /// plaintext unchanged without a key) to `out`. Returns false, writing
  /// nothing, when the nonce space is exhausted.
  /// REQUIRES: `out` large enough; starts at `plaintext` or does not overlap.
  [[nodiscard]] bool encrypt_with_ad(std::span<const uint8_t> ad, std::span<const uint8_t> plaintext,
                                     std::span<uint8_t> out);

  /// As encrypt_with_ad(), for the concatenation of `parts`, encrypted where
  /// they lie. REQUIRES: `out` large enough; no part overlaps `out`.
  [[nodiscard]] bool encrypt_gather_with_ad(std::span<const uint8_t> ad,
                                            std::span<const std::span<const uint8_t>> parts,
                                            std::span<uint8_t> out);

  /// Noise DecryptWithAd: writes ciphertext.size() - kTagLength bytes (or
  /// the ciphertext unchanged without a key) to `out`. Returns false on an
  /// authentication failure, a ciphertext shorter than the tag or an
  /// exhausted nonce; n is then not advanced and `out` must be discarded.
  /// REQUIRES: `out` large enough; starts at `ciphertext` or does not overlap.
  [[nodiscard]] bool decrypt_with_ad(std::span<const uint8_t> ad, std::span<const uint8_t> ciphertext,
                                     std::span<uint8_t> out);

  /// DecryptWithAd in steps, for a caller that routes each piece of the
  /// plaintext as it reads the pieces before it: begin_decrypt() (false when
  /// the nonce is exhausted), decrypt_part() over consecutive pieces of the
  /// ciphertext without its tag, then finish_decrypt(), which returns false
  /// on an authentication failure or when a step failed, leaving n unchanged.
  /// Plaintext is unauthenticated until finish_decrypt() returns true.
  /// REQUIRES: has_key(); each part's `out` as large as it, in place or not overlapping.
  [[nodiscard]] bool begin_decrypt(std::span<const uint8_t> ad);
  void decrypt_part(std::span<const uint8_t> ciphertext, std::span<uint8_t> out);
  [[nodiscard]] bool finish_decrypt(std::span<const uint8_t, Aead::kTagLength> tag);

  /// Bytes encrypt_with_ad adds to a plaintext (16 with a key, else 0).
  size_t overhead() const { return has_key() ? Aead::kTagLength : 0; }

 private:
  std::optional<Aead> aead_;
  uint64_t n_ = 0;
  bool parts_ok_ = false;  // the message begun by begin_decrypt() has not failed so far
};

}  // namespace prowl::noise
