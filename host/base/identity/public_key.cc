#include "host/base/identity/public_key.h"

#include <sodium.h>

#include <algorithm>

#include "host/base/identity/key_protobuf.h"
#include "host/base/identity/sodium_init.h"

namespace prowl::identity {

std::optional<PublicKey> PublicKey::from_protobuf(std::span<const uint8_t> bytes,
                                                  std::string* error) {
  auto data = decode_ed25519_key(KeyMessage::kPublic, bytes, crypto_sign_PUBLICKEYBYTES, error);
  if (!data) return std::nullopt;
  std::array<uint8_t, 32> raw{};
  std::copy(data->begin(), data->end(), raw.begin());
  return PublicKey(raw);
}

PublicKey PublicKey::from_raw(const std::array<uint8_t, 32>& raw) { return PublicKey(raw); }

std::vector<uint8_t> PublicKey::to_protobuf() const {
  return encode_ed25519_key(KeyMessage::kPublic, raw_);
}

bool PublicKey::verify(std::span<const uint8_t> message,
                       std::span<const uint8_t> signature) const {
  if (signature.size() != crypto_sign_BYTES) return false;
  ensure_sodium_initialized();
  return crypto_sign_verify_detached(signature.data(), message.data(), message.size(),
                                     raw_.data()) == 0;
}

}  // namespace prowl::identity
