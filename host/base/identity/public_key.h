// An Ed25519 public key and its libp2p protobuf form (PublicKey message of
// the libp2p peer-id spec). Other key types are refused.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace prowl::identity {

/// An Ed25519 public key. A value type; immutable, so thread-safe to share.
class PublicKey {
 public:
  /// Decodes a libp2p PublicKey protobuf {KeyType Type = 1; bytes Data = 2}.
  /// Returns nullopt, and says why in `error` if given, unless the bytes are
  /// the deterministic encoding of an Ed25519 key with 32 bytes of Data.
  static std::optional<PublicKey> from_protobuf(std::span<const uint8_t> bytes,
                                                std::string* error = nullptr);

  /// Wraps the 32 raw bytes of an Ed25519 public key.
  static PublicKey from_raw(const std::array<uint8_t, 32>& raw);

  /// The deterministic libp2p PublicKey protobuf: 08 01 12 20 <32 bytes>.
  std::vector<uint8_t> to_protobuf() const;

  /// The 32 raw key bytes.
  const std::array<uint8_t, 32>& raw() const { return raw_; }

  /// True when `signature` is a valid Ed25519 signature of `message` by this key.
  bool verify(std::span<const uint8_t> message, std::span<const uint8_t> signature) const;

  bool operator==(const PublicKey&) const = default;

 private:
  explicit PublicKey(const std::array<uint8_t, 32>& raw) : raw_(raw) {}

  std::array<uint8_t, 32> raw_;
};

}  // namespace prowl::identity
