// Kademlia keys: the SHA-256 digest of a record key or of a peer id's
// multihash bytes, and the XOR distance between two of them.
#pragma once

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "host/base/identity/peer_id.h"

namespace prowl::kad {

/// XOR of two keys, compared as a 256-bit big-endian number.
using Distance = std::array<uint8_t, 32>;

/// A point in the 256-bit key space. A value type; thread-safe to share.
class Key {
 public:
  /// The key of arbitrary record-key bytes: SHA-256(bytes).
  static Key from_bytes(std::span<const uint8_t> bytes);

  /// The key of a peer: SHA-256 of its multihash bytes.
  static Key from_peer(const identity::PeerId& peer);

  /// Wraps a digest as is (for tests and for keys read back from storage).
  static Key from_digest(const std::array<uint8_t, 32>& digest) { return Key(digest); }

  /// The 32 digest bytes.
  const std::array<uint8_t, 32>& digest() const noexcept { return digest_; }

  /// The XOR distance to `other`.
  Distance distance(const Key& other) const noexcept;

  auto operator<=>(const Key&) const = default;

 private:
  explicit Key(const std::array<uint8_t, 32>& digest) : digest_(digest) {}

  std::array<uint8_t, 32> digest_;
};

/// The longest shared prefix random_key_sharing_prefix accepts (it hashes
/// about 2^(bits+1) candidates).
inline constexpr size_t kMaxRefreshPrefixBits = 16;

/// Random key bytes whose Key shares exactly `bits` prefix bits with
/// `local`: looking them up refreshes bucket `bits` of local's routing table.
/// REQUIRES: bits <= kMaxRefreshPrefixBits.
std::vector<uint8_t> random_key_sharing_prefix(const Key& local, size_t bits);

/// Leading zero bits of `distance` (256 for the zero distance). Two keys at
/// distance d share exactly leading_zeros(d) prefix bits.
size_t leading_zeros(const Distance& distance) noexcept;

}  // namespace prowl::kad
