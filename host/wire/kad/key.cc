#include "host/wire/kad/key.h"

#include <sodium.h>

#include <bit>
#include <stdexcept>
#include <string>

#include "host/base/identity/sodium_init.h"

namespace prowl::kad {

Key Key::from_bytes(std::span<const uint8_t> bytes) {
  identity::ensure_sodium_initialized();
  std::array<uint8_t, 32> digest{};
  crypto_hash_sha256(digest.data(), bytes.data(), bytes.size());
  return Key(digest);
}

Key Key::from_peer(const identity::PeerId& peer) { return from_bytes(peer.bytes()); }

Distance Key::distance(const Key& other) const noexcept {
  Distance d{};
  for (size_t i = 0; i < d.size(); ++i) d[i] = static_cast<uint8_t>(digest_[i] ^ other.digest_[i]);
  return d;
}

std::vector<uint8_t> random_key_sharing_prefix(const Key& local, size_t bits) {
  if (bits > kMaxRefreshPrefixBits) {
    throw std::invalid_argument("kad: refresh prefix of " + std::to_string(bits) + " bits exceeds " +
                                std::to_string(kMaxRefreshPrefixBits));
  }
  identity::ensure_sodium_initialized();
  std::vector<uint8_t> candidate(32);
  do {
    randombytes_buf(candidate.data(), candidate.size());
  } while (leading_zeros(local.distance(Key::from_bytes(candidate))) != bits);
  return candidate;
}

size_t leading_zeros(const Distance& distance) noexcept {
  size_t zeros = 0;
  for (uint8_t byte : distance) {
    if (byte != 0) return zeros + static_cast<size_t>(std::countl_zero(byte));
    zeros += 8;
  }
  return zeros;
}

}  // namespace prowl::kad
