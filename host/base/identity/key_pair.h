// An Ed25519 key pair (the node's identity) and its libp2p PrivateKey
// protobuf form.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "host/base/identity/public_key.h"

namespace prowl::identity {

/// An Ed25519 key pair. Copyable; the secret bytes are wiped when a copy is
/// destroyed. Const methods are thread-safe.
class KeyPair {
 public:
  /// A fresh key pair from libsodium's random generator.
  static KeyPair generate();

  /// The key pair determined by a 32-byte Ed25519 seed (RFC 8032 private key).
  static KeyPair from_seed(const std::array<uint8_t, 32>& seed);

  /// Decodes a libp2p PrivateKey protobuf whose Ed25519 Data is 64 bytes,
  /// seed || public key. Returns nullopt, and says why in `error` if given,
  /// when the encoding is not deterministic, the type is not Ed25519, the
  /// length is wrong or the public half does not match the seed.
  static std::optional<KeyPair> from_private_protobuf(std::span<const uint8_t> bytes,
                                                      std::string* error = nullptr);

  KeyPair(const KeyPair&) = default;
  KeyPair& operator=(const KeyPair&) = default;
  ~KeyPair();

  /// The deterministic libp2p PrivateKey protobuf: 08 01 12 40 <seed> <public key>.
  std::vector<uint8_t> private_to_protobuf() const;

  /// The public half.
  const PublicKey& public_key() const { return public_key_; }

  /// The Ed25519 signature of `message`.
  std::array<uint8_t, 64> sign(std::span<const uint8_t> message) const;

 private:
  KeyPair(const std::array<uint8_t, 64>& secret, const PublicKey& public_key);

  std::array<uint8_t, 64> secret_;  // libsodium layout: seed || public key
  PublicKey public_key_;
};

}  // namespace prowl::identity
