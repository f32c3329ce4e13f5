#include "host/kad/key.h"

#include <openssl/sha.h>

#include <bit>

namespace prowl::kad {

Key Key::from_bytes(std::span<const uint8_t> bytes) {
  std::array<uint8_t, 32> digest{};
  SHA256(bytes.data(), bytes.size(), digest.data());
  return Key(digest);
}

Key Key::from_peer(const identity::PeerId& peer) { return from_bytes(peer.bytes()); }

Distance Key::distance(const Key& other) const noexcept {
  Distance d{};
  for (size_t i = 0; i < d.size(); ++i) d[i] = static_cast<uint8_t>(digest_[i] ^ other.digest_[i]);
  return d;
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
