#include "host/noise/aead.h"

#include <openssl/evp.h>

#include <algorithm>
#include <climits>
#include <stdexcept>

namespace prowl::noise {
namespace {

// EVP lengths are ints; a Noise message is at most 65535 bytes, so every
// caller stays far below INT_MAX. Guard anyway: a wrong length must not wrap.
int checked_length(size_t n) {
  if (n > static_cast<size_t>(INT_MAX)) throw std::length_error("AEAD input longer than INT_MAX");
  return static_cast<int>(n);
}

}  // namespace

void Aead::CtxDeleter::operator()(evp_cipher_ctx_st* ctx) const noexcept { EVP_CIPHER_CTX_free(ctx); }

Aead::Aead(const Key& key) : ctx_(EVP_CIPHER_CTX_new()) {
  if (!ctx_ || EVP_CipherInit_ex(ctx_.get(), EVP_chacha20_poly1305(), nullptr, key.data(), nullptr, 1) != 1) {
    throw std::runtime_error("OpenSSL cannot initialise ChaCha20-Poly1305");
  }
}

Aead::~Aead() = default;
Aead::Aead(Aead&&) noexcept = default;
Aead& Aead::operator=(Aead&&) noexcept = default;

void Aead::seal(const Nonce& nonce, std::span<const uint8_t> ad, std::span<const uint8_t> plaintext,
                std::span<uint8_t> out) {
  const std::span<const uint8_t> parts[] = {plaintext};
  seal_gather(nonce, ad, parts, out);
}

void Aead::seal_gather(const Nonce& nonce, std::span<const uint8_t> ad,
                       std::span<const std::span<const uint8_t>> parts, std::span<uint8_t> out) {
  EVP_CIPHER_CTX* ctx = ctx_.get();
  int len = 0;
  // A null key keeps the one set at construction; only the nonce changes.
  bool ok = EVP_CipherInit_ex(ctx, nullptr, nullptr, nullptr, nonce.data(), 1) == 1;
  if (ok && !ad.empty()) ok = EVP_CipherUpdate(ctx, nullptr, &len, ad.data(), checked_length(ad.size())) == 1;
  // The cipher streams: consecutive updates continue the keystream and the MAC.
  size_t written = 0;
  for (const std::span<const uint8_t> part : parts) {
    if (!ok || part.empty()) continue;
    ok = EVP_CipherUpdate(ctx, out.data() + written, &len, part.data(), checked_length(part.size())) == 1;
    written += part.size();
  }
  ok = ok && EVP_CipherFinal_ex(ctx, out.data() + written, &len) == 1;
  ok = ok && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, static_cast<int>(kTagLength), out.data() + written) == 1;
  if (!ok) throw std::runtime_error("OpenSSL ChaCha20-Poly1305 encryption failed");
}

bool Aead::open(const Nonce& nonce, std::span<const uint8_t> ad, std::span<const uint8_t> ciphertext,
                std::span<uint8_t> out) {
  if (ciphertext.size() < kTagLength) return false;
  const size_t body = ciphertext.size() - kTagLength;
  EVP_CIPHER_CTX* ctx = ctx_.get();
  int len = 0;
  if (EVP_CipherInit_ex(ctx, nullptr, nullptr, nullptr, nonce.data(), 0) != 1) return false;
  if (!ad.empty() && EVP_CipherUpdate(ctx, nullptr, &len, ad.data(), checked_length(ad.size())) != 1) return false;
  if (body != 0 && EVP_CipherUpdate(ctx, out.data(), &len, ciphertext.data(), checked_length(body)) != 1) {
    return false;
  }
  // OpenSSL reads the expected tag through a non-const pointer but does not
  // modify it; copy it so a read-only ciphertext stays untouched.
  uint8_t tag[kTagLength];
  std::copy(ciphertext.begin() + static_cast<ptrdiff_t>(body), ciphertext.end(), tag);
  if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, static_cast<int>(kTagLength), tag) != 1) return false;
  return EVP_CipherFinal_ex(ctx, out.data() + body, &len) == 1;
}

}  // namespace prowl::noise
