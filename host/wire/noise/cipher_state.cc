#include "host/wire/noise/cipher_state.h"

#include <algorithm>
#include <utility>

namespace prowl::noise {
namespace {

Aead::Nonce make_nonce(uint64_t n) {
  Aead::Nonce nonce{};
  for (size_t i = 0; i < 8; ++i) nonce[4 + i] = static_cast<uint8_t>(n >> (8 * i));
  return nonce;
}

}  // namespace

bool CipherState::encrypt_with_ad(std::span<const uint8_t> ad, std::span<const uint8_t> plaintext,
                                  std::span<uint8_t> out) {
  if (!aead_ && out.data() == plaintext.data()) return true;  // in place without a key: nothing to do
  const std::span<const uint8_t> parts[] = {plaintext};
  return encrypt_gather_with_ad(ad, parts, out);
}

bool CipherState::encrypt_gather_with_ad(std::span<const uint8_t> ad,
                                         std::span<const std::span<const uint8_t>> parts,
                                         std::span<uint8_t> out) {
  if (!aead_) {
    for (const std::span<const uint8_t> part : parts) {
      std::copy(part.begin(), part.end(), out.begin());
      out = out.subspan(part.size());
    }
    return true;
  }
  if (n_ == kMaxNonce) return false;
  aead_->seal_gather(make_nonce(n_), ad, parts, out);
  ++n_;
  return true;
}

bool CipherState::decrypt_with_ad(std::span<const uint8_t> ad, std::span<const uint8_t> ciphertext,
                                  std::span<uint8_t> out) {
  if (!aead_) {
    if (out.data() != ciphertext.data()) std::copy(ciphertext.begin(), ciphertext.end(), out.begin());
    return true;
  }
  if (n_ == kMaxNonce) return false;
  if (!aead_->open(make_nonce(n_), ad, ciphertext, out)) return false;
  ++n_;
  return true;
}

bool CipherState::begin_decrypt(std::span<const uint8_t> ad) {
  parts_ok_ = n_ != kMaxNonce && aead_->open_begin(make_nonce(n_), ad);
  return n_ != kMaxNonce;
}

void CipherState::decrypt_part(std::span<const uint8_t> ciphertext, std::span<uint8_t> out) {
  parts_ok_ = parts_ok_ && aead_->open_update(ciphertext, out);
}

bool CipherState::finish_decrypt(std::span<const uint8_t, Aead::kTagLength> tag) {
  if (!std::exchange(parts_ok_, false) || !aead_->open_finish(tag)) return false;
  ++n_;
  return true;
}

}  // namespace prowl::noise
