#include "host/wire/noise/dh_key_pair.h"

#include <sodium.h>

#include <stdexcept>

namespace prowl::noise {

DhKeyPair::DhKeyPair(const Key& private_key) : private_(private_key) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  crypto_scalarmult_base(public_.data(), private_.data());
}

DhKeyPair DhKeyPair::generate() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  Key private_key;
  randombytes_buf(private_key.data(), private_key.size());
  DhKeyPair pair(private_key);
  sodium_memzero(private_key.data(), private_key.size());
  return pair;
}

DhKeyPair DhKeyPair::from_private(const Key& private_key) { return DhKeyPair(private_key); }

DhKeyPair::~DhKeyPair() { sodium_memzero(private_.data(), private_.size()); }

std::optional<DhKeyPair::Key> DhKeyPair::dh(const Key& remote_public) const {
  Key shared;
  if (crypto_scalarmult(shared.data(), private_.data(), remote_public.data()) != 0) return std::nullopt;
  return shared;
}

}  // namespace prowl::noise
