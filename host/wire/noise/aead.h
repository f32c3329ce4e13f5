// ChaCha20-Poly1305 (RFC 8439, IETF 96-bit nonce) through OpenSSL's EVP
// interface. One Aead holds one key and one reusable cipher context, so
// sealing or opening a message allocates nothing.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

struct evp_cipher_ctx_st;

namespace prowl::noise {

/// ChaCha20-Poly1305 with a fixed 32-byte key. Not thread-safe: use one
/// instance per direction (per thread).
class Aead {
 public:
  static constexpr size_t kKeyLength = 32;
  static constexpr size_t kNonceLength = 12;
  static constexpr size_t kTagLength = 16;
  using Key = std::array<uint8_t, kKeyLength>;
  using Nonce = std::array<uint8_t, kNonceLength>;

  /// Prepares the cipher context for `key`. Throws std::runtime_error only if
  /// OpenSSL cannot provide ChaCha20-Poly1305 (a broken installation).
  explicit Aead(const Key& key);
  ~Aead();
  Aead(Aead&&) noexcept;
  Aead& operator=(Aead&&) noexcept;
  Aead(const Aead&) = delete;
  Aead& operator=(const Aead&) = delete;

  /// Encrypts `plaintext` into `out` and appends the 16-byte tag, writing
  /// exactly plaintext.size() + kTagLength bytes.
  /// REQUIRES: out.size() >= plaintext.size() + kTagLength; `out` either
  /// starts exactly at `plaintext` (in place) or does not overlap it.
  void seal(const Nonce& nonce, std::span<const uint8_t> ad, std::span<const uint8_t> plaintext,
            std::span<uint8_t> out);

  /// As seal(), for the concatenation of `parts` (a gather write: the pieces
  /// are encrypted where they lie, never joined first). Writes the total
  /// size of `parts` + kTagLength bytes.
  /// REQUIRES: out large enough; no part overlaps `out`.
  void seal_gather(const Nonce& nonce, std::span<const uint8_t> ad,
                   std::span<const std::span<const uint8_t>> parts, std::span<uint8_t> out);

  /// Authenticates and decrypts `ciphertext` (payload followed by the tag)
  /// into `out`, writing ciphertext.size() - kTagLength bytes. Returns false
  /// when the tag does not verify or the ciphertext is shorter than the tag;
  /// `out` then holds no usable plaintext and must be discarded.
  /// REQUIRES: out.size() >= ciphertext.size() - kTagLength; `out` either
  /// starts exactly at `ciphertext` (in place) or does not overlap it.
  [[nodiscard]] bool open(const Nonce& nonce, std::span<const uint8_t> ad,
                          std::span<const uint8_t> ciphertext, std::span<uint8_t> out);

  /// open() in steps, for a caller that picks where each piece of the
  /// plaintext goes as it reads the pieces before it: open_begin(), then
  /// open_update() over consecutive pieces of the ciphertext without its tag,
  /// then open_finish() with the tag. Every plaintext byte is unauthenticated
  /// until open_finish() returns true. False from any step: the message
  /// failed and its plaintext must be discarded.
  [[nodiscard]] bool open_begin(const Nonce& nonce, std::span<const uint8_t> ad);
  /// Decrypts the next ciphertext.size() bytes into `out`.
  /// REQUIRES: out.size() >= ciphertext.size(); in place or no overlap.
  [[nodiscard]] bool open_update(std::span<const uint8_t> ciphertext, std::span<uint8_t> out);
  /// Checks `tag` against everything open_update() was given.
  [[nodiscard]] bool open_finish(std::span<const uint8_t, kTagLength> tag);

 private:
  /// Feeds the next `length` bytes of the message to the cipher, writing to `out`.
  bool update(const uint8_t* in, size_t length, uint8_t* out);

  struct CtxDeleter {
    void operator()(evp_cipher_ctx_st* ctx) const noexcept;
  };
  std::unique_ptr<evp_cipher_ctx_st, CtxDeleter> ctx_;
  size_t position_ = 0;  ///< bytes of the current message fed to the cipher so far
};

}  // namespace prowl::noise
