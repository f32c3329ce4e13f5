// Fixed Ed25519 identities for tests and fuzz targets: one distinct, stable
// key per byte, so expectations and seed corpora can name a peer.
#pragma once

#include <array>
#include <cstdint>

#include "host/base/identity/key_pair.h"
#include "host/base/identity/peer_id.h"

namespace prowl::identity::test_keys {

/// The Ed25519 key pair whose 32-byte seed is `fill` repeated.
inline KeyPair key_from_fill(uint8_t fill) {
  std::array<uint8_t, 32> seed{};
  seed.fill(fill);
  return KeyPair::from_seed(seed);
}

/// The peer id of key_from_fill(`fill`).
inline PeerId peer_from_fill(uint8_t fill) { return PeerId::from_public_key(key_from_fill(fill).public_key()); }

}  // namespace prowl::identity::test_keys
