// The signed envelope of libp2p RFC 0002: a payload, its type hint, the
// signer's public key and a signature over a domain string, the type hint and
// the payload, so a signature made for one purpose is never valid for another.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "host/base/identity/key_pair.h"
#include "host/base/identity/public_key.h"

namespace prowl::peer_record {

/// The largest envelope accepted, in bytes.
inline constexpr size_t kMaxEnvelopeBytes = 8 * 1024;
/// The longest payload type hint accepted, in bytes.
inline constexpr size_t kMaxPayloadTypeBytes = 64;

/// An envelope whose signature has been checked (or that we sealed). A value
/// type; immutable, so thread-safe to share.
class Envelope {
 public:
  /// Signs `payload` of type `payload_type` for `domain` with `key`.
  /// REQUIRES: payload_type.size() <= kMaxPayloadTypeBytes and the encoded
  /// envelope fits kMaxEnvelopeBytes (throws std::length_error otherwise).
  static Envelope seal(const identity::KeyPair& key, std::string_view domain,
                       std::span<const uint8_t> payload_type, std::span<const uint8_t> payload);

  /// Decodes an Envelope protobuf of at most kMaxEnvelopeBytes and verifies
  /// its signature for `domain`. Returns nullopt, with `error` (if given)
  /// saying what was wrong, when the bytes are oversized or not an Envelope,
  /// a field is missing or too long, the key is not a deterministic Ed25519
  /// PublicKey, or the signature does not verify.
  static std::optional<Envelope> open(std::span<const uint8_t> bytes, std::string_view domain,
                                      std::string* error = nullptr);

  /// The signer's key.
  const identity::PublicKey& public_key() const { return public_key_; }
  /// The payload type hint (a multicodec, possibly followed by more bytes).
  const std::vector<uint8_t>& payload_type() const { return payload_type_; }
  /// The signed payload.
  const std::vector<uint8_t>& payload() const { return payload_; }
  /// The Envelope protobuf, exactly as sealed or received.
  const std::vector<uint8_t>& bytes() const { return bytes_; }

 private:
  Envelope(identity::PublicKey key, std::vector<uint8_t> payload_type, std::vector<uint8_t> payload,
           std::vector<uint8_t> bytes);

  identity::PublicKey public_key_;
  std::vector<uint8_t> payload_type_;
  std::vector<uint8_t> payload_;
  std::vector<uint8_t> bytes_;
};

/// The bytes an envelope signs: uvarint(len(domain)) domain
/// uvarint(len(payload_type)) payload_type uvarint(len(payload)) payload.
std::vector<uint8_t> envelope_signing_input(std::string_view domain,
                                            std::span<const uint8_t> payload_type,
                                            std::span<const uint8_t> payload);

}  // namespace prowl::peer_record
