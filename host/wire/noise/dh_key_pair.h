// An X25519 key pair (RFC 7748) for Noise's DH functions, via libsodium.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

namespace prowl::noise {

/// X25519 private key with its public key. Copyable; the private key is
/// wiped on destruction. Thread-compatible.
class DhKeyPair {
 public:
  static constexpr size_t kKeyLength = 32;
  using Key = std::array<uint8_t, kKeyLength>;

  /// A fresh key pair from libsodium's CSPRNG.
  static DhKeyPair generate();
  /// The key pair for a given private key (clamped by X25519 as usual).
  static DhKeyPair from_private(const Key& private_key);

  /// Wipes the private key.
  ~DhKeyPair();
  DhKeyPair(const DhKeyPair&) = default;
  DhKeyPair& operator=(const DhKeyPair&) = default;

  /// The public key, the RFC 7748 encoding Noise sends.
  const Key& public_key() const { return public_; }
  /// X25519(private, remote_public). nullopt when the result is all zeros,
  /// i.e. `remote_public` is a low-order point that would void the exchange.
  std::optional<Key> dh(const Key& remote_public) const;

 private:
  explicit DhKeyPair(const Key& private_key);
  Key private_{};
  Key public_{};
};

}  // namespace prowl::noise
