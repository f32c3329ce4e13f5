// libp2p peer ids: the multihash of a public key's protobuf encoding, shown
// as base58btc text (libp2p peer-id spec).
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "host/base/identity/public_key.h"

namespace prowl::identity {

/// A peer id. A value type, ordered by its multihash bytes; thread-safe to share.
class PeerId {
 public:
  /// The identity multihash (00 24 <protobuf>) of key.to_protobuf(), as the
  /// spec requires for keys whose encoding is at most 42 bytes.
  static PeerId from_public_key(const PublicKey& key);

  /// Accepts an identity multihash (code 0x00, digest of at most 42 bytes) or
  /// a sha256 multihash (code 0x12, 32-byte digest) and nothing else;
  /// otherwise returns nullopt and says what was wrong in `error` if given.
  static std::optional<PeerId> from_bytes(std::span<const uint8_t> multihash,
                                          std::string* error = nullptr);

  /// Parses base58btc text: "12D3KooW..." (identity multihash of an Ed25519
  /// key) or "Qm..." (sha256 multihash). Errors as from_bytes.
  static std::optional<PeerId> from_string(std::string_view text, std::string* error = nullptr);

  /// The base58btc text.
  std::string to_string() const;

  /// The multihash bytes.
  const std::vector<uint8_t>& bytes() const { return bytes_; }

  /// The Ed25519 key inlined in an identity multihash; nullopt for sha256
  /// peer ids and for inlined keys of other types.
  std::optional<PublicKey> public_key() const;

  auto operator<=>(const PeerId&) const = default;

 private:
  explicit PeerId(std::vector<uint8_t> bytes) : bytes_(std::move(bytes)) {}

  std::vector<uint8_t> bytes_;
};

}  // namespace prowl::identity
