#include "host/wire/noise/symmetric_state.h"

#include <sodium.h>

#include <algorithm>

namespace prowl::noise {
namespace {

// libsodium declares its pointers non-null even for zero lengths, and an
// empty span's data() is null: an empty key (RFC 5869's absent salt) or input
// (split()'s empty ikm) is passed as a valid pointer with length 0.
const uint8_t* non_null(std::span<const uint8_t> bytes) {
  static constexpr uint8_t kNothing = 0;
  return bytes.empty() ? &kNothing : bytes.data();
}

Hash hmac(std::span<const uint8_t> key, std::span<const uint8_t> a, std::span<const uint8_t> b = {}) {
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, non_null(key), key.size());
  crypto_auth_hmacsha256_update(&state, non_null(a), a.size());
  crypto_auth_hmacsha256_update(&state, non_null(b), b.size());
  Hash out;
  crypto_auth_hmacsha256_final(&state, out.data());
  sodium_memzero(&state, sizeof state);
  return out;
}

}  // namespace

std::pair<Hash, Hash> hkdf2(std::span<const uint8_t> chaining_key, std::span<const uint8_t> ikm) {
  Hash temp = hmac(chaining_key, ikm);
  static constexpr uint8_t kOne[] = {0x01};
  static constexpr uint8_t kTwo[] = {0x02};
  std::pair<Hash, Hash> out{hmac(temp, kOne), {}};
  out.second = hmac(temp, out.first, kTwo);
  sodium_memzero(temp.data(), temp.size());
  return out;
}

SymmetricState::SymmetricState(std::string_view protocol_name) {
  if (protocol_name.size() <= kHashLength) {
    std::copy(protocol_name.begin(), protocol_name.end(), h_.begin());
  } else {
    crypto_hash_sha256(h_.data(), reinterpret_cast<const uint8_t*>(protocol_name.data()), protocol_name.size());
  }
  ck_ = h_;
}

SymmetricState::~SymmetricState() { sodium_memzero(ck_.data(), ck_.size()); }

void SymmetricState::mix_hash(std::span<const uint8_t> data) {
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  crypto_hash_sha256_update(&state, h_.data(), h_.size());
  crypto_hash_sha256_update(&state, non_null(data), data.size());
  crypto_hash_sha256_final(&state, h_.data());
}

void SymmetricState::mix_key(std::span<const uint8_t> input_key_material) {
  auto [ck, k] = hkdf2(ck_, input_key_material);
  ck_ = ck;
  cipher_ = CipherState(k);
  sodium_memzero(ck.data(), ck.size());
  sodium_memzero(k.data(), k.size());
}

bool SymmetricState::encrypt_and_hash(std::span<const uint8_t> plaintext, std::span<uint8_t> out) {
  if (!cipher_.encrypt_with_ad(h_, plaintext, out)) return false;
  mix_hash(out.first(plaintext.size() + cipher_.overhead()));
  return true;
}

bool SymmetricState::decrypt_and_hash(std::span<const uint8_t> ciphertext, std::span<uint8_t> out) {
  if (ciphertext.size() < cipher_.overhead()) return false;
  if (!cipher_.decrypt_with_ad(h_, ciphertext, out)) return false;
  mix_hash(ciphertext);
  return true;
}

std::pair<CipherState, CipherState> SymmetricState::split() const {
  auto [k1, k2] = hkdf2(ck_, {});
  std::pair<CipherState, CipherState> out{CipherState(k1), CipherState(k2)};
  sodium_memzero(k1.data(), k1.size());
  sodium_memzero(k2.data(), k2.size());
  return out;
}

}  // namespace prowl::noise
