// Helpers for the kad tests: deterministic peers and addresses.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "host/base/identity/key_pair.h"
#include "host/base/identity/peer_id.h"
#include "host/base/multiaddr/multiaddr.h"

namespace prowl::kad::testing {

/// The key pair seeded by `n` (the same n always gives the same key).
inline identity::KeyPair test_key(uint32_t n) {
  std::array<uint8_t, 32> seed{};
  for (int i = 0; i < 4; ++i) seed[static_cast<size_t>(i)] = static_cast<uint8_t>(n >> (8 * i));
  seed[31] = 0x6b;
  return identity::KeyPair::from_seed(seed);
}

/// The peer id of test_key(n).
inline identity::PeerId test_peer(uint32_t n) {
  return identity::PeerId::from_public_key(test_key(n).public_key());
}

/// A distinct TCP address for `n`.
inline multiaddr::Multiaddr test_address(uint32_t n) {
  return *multiaddr::Multiaddr::parse("/ip4/10." + std::to_string((n >> 16) & 255) + "." +
                                      std::to_string((n >> 8) & 255) + "." +
                                      std::to_string(n & 255) + "/tcp/4001");
}

/// Bytes of a string.
inline std::vector<uint8_t> bytes(const std::string& s) { return {s.begin(), s.end()}; }

}  // namespace prowl::kad::testing
