// A value signed by its publisher, stored under "/prowl/<peer id>/<name>":
// the SignedValue protobuf (signed_value.proto) carrying the publisher's
// public key, the value, a sequence number and an Ed25519 signature over a
// domain-separated payload that binds all three to the record key.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "host/base/identity/key_pair.h"
#include "host/base/identity/peer_id.h"
#include "host/base/identity/public_key.h"

namespace prowl::kad {

/// A decoded or freshly signed envelope. A value type; thread-safe to share.
class SignedValue {
 public:
  /// Signs `value` for record `key` with sequence number `sequence`.
  static SignedValue sign(const identity::KeyPair& publisher, std::span<const uint8_t> key,
                          std::vector<uint8_t> value, uint64_t sequence);

  /// Parses an envelope of at most kMaxValueBytes: a valid Ed25519 public
  /// key and a 64-byte signature are required; the signature is not checked
  /// (see verify). Returns nullopt and says what was wrong in `error`.
  static std::optional<SignedValue> decode(std::span<const uint8_t> bytes,
                                           std::string* error = nullptr);

  /// The record key a publisher's value named `name` lives under:
  /// "/prowl/<base58 peer id>/<name>". REQUIRES: !name.empty().
  static std::vector<uint8_t> record_key(const identity::PeerId& publisher, std::string_view name);

  /// The bytes the signature covers: "prowl-kad-signed-value:" then the
  /// uvarint-length-prefixed key, the sequence as 8 big-endian bytes, and
  /// the uvarint-length-prefixed value.
  static std::vector<uint8_t> signing_payload(std::span<const uint8_t> key,
                                              std::span<const uint8_t> value, uint64_t sequence);

  /// The protobuf encoding.
  std::vector<uint8_t> encode() const;

  /// True when the signature is the publisher's over signing_payload(key, ...).
  bool verify(std::span<const uint8_t> key) const;

  const identity::PublicKey& publisher() const noexcept { return publisher_; }
  const std::vector<uint8_t>& value() const noexcept { return value_; }
  uint64_t sequence() const noexcept { return sequence_; }
  const std::array<uint8_t, 64>& signature() const noexcept { return signature_; }

 private:
  SignedValue(const identity::PublicKey& publisher, std::vector<uint8_t> value, uint64_t sequence,
              const std::array<uint8_t, 64>& signature)
      : publisher_(publisher), value_(std::move(value)), sequence_(sequence), signature_(signature) {}

  identity::PublicKey publisher_;
  std::vector<uint8_t> value_;
  uint64_t sequence_;
  std::array<uint8_t, 64> signature_;
};

}  // namespace prowl::kad
