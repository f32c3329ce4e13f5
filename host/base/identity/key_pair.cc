#include "host/base/identity/key_pair.h"

#include <sodium.h>

#include <algorithm>

#include "host/base/identity/key_protobuf.h"
#include "host/base/identity/sodium_init.h"

namespace prowl::identity {
namespace {

static_assert(crypto_sign_SECRETKEYBYTES == 64 && crypto_sign_PUBLICKEYBYTES == 32 &&
              crypto_sign_SEEDBYTES == 32 && crypto_sign_BYTES == 64);

std::array<uint8_t, 32> public_half(const std::array<uint8_t, 64>& secret) {
  std::array<uint8_t, 32> pub{};
  std::copy(secret.begin() + 32, secret.end(), pub.begin());
  return pub;
}

}  // namespace

KeyPair::KeyPair(const std::array<uint8_t, 64>& secret, const PublicKey& public_key)
    : secret_(secret), public_key_(public_key) {}

KeyPair::~KeyPair() { sodium_memzero(secret_.data(), secret_.size()); }

KeyPair KeyPair::generate() {
  ensure_sodium_initialized();
  std::array<uint8_t, 32> seed{};
  randombytes_buf(seed.data(), seed.size());
  KeyPair pair = from_seed(seed);
  sodium_memzero(seed.data(), seed.size());
  return pair;
}

KeyPair KeyPair::from_seed(const std::array<uint8_t, 32>& seed) {
  ensure_sodium_initialized();
  std::array<uint8_t, 32> pub{};
  std::array<uint8_t, 64> secret{};
  crypto_sign_seed_keypair(pub.data(), secret.data(), seed.data());
  KeyPair pair(secret, PublicKey::from_raw(pub));
  sodium_memzero(secret.data(), secret.size());
  return pair;
}

std::optional<KeyPair> KeyPair::from_private_protobuf(std::span<const uint8_t> bytes,
                                                      std::string* error) {
  auto data = decode_ed25519_key(KeyMessage::kPrivate, bytes, crypto_sign_SECRETKEYBYTES, error);
  if (!data) return std::nullopt;
  std::array<uint8_t, 32> seed{};
  std::copy(data->begin(), data->begin() + 32, seed.begin());
  std::array<uint8_t, 64> stored{};
  std::copy(data->begin(), data->end(), stored.begin());
  sodium_memzero(data->data(), data->size());
  KeyPair pair = from_seed(seed);
  sodium_memzero(seed.data(), seed.size());
  const bool matches = pair.public_key().raw() == public_half(stored);
  sodium_memzero(stored.data(), stored.size());
  if (!matches) {
    if (error) *error = "private key: public key half does not match the seed";
    return std::nullopt;
  }
  return pair;
}

std::vector<uint8_t> KeyPair::private_to_protobuf() const {
  return encode_ed25519_key(KeyMessage::kPrivate, secret_);
}

std::array<uint8_t, 64> KeyPair::sign(std::span<const uint8_t> message) const {
  std::array<uint8_t, 64> signature{};
  crypto_sign_detached(signature.data(), nullptr, message.data(), message.size(),
                       secret_.data());
  return signature;
}

}  // namespace prowl::identity
