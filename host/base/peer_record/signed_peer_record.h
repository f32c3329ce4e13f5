// A peer record sealed in a signed envelope by the peer it describes: the
// self-certified addresses libp2p carries in identify and in gossipsub's
// peer exchange. Opening checks the signature (domain "libp2p-peer-record",
// payload type 0x0301) and that the signer's key derives the record's peer id.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "host/base/identity/key_pair.h"
#include "host/base/identity/peer_id.h"
#include "host/base/multiaddr/multiaddr.h"
#include "host/base/peer_record/envelope.h"
#include "host/base/peer_record/peer_record.h"

namespace prowl::peer_record {

/// The envelope domain of peer records (what go-, js- and rust-libp2p sign;
/// RFC 0003's draft text names "libp2p-routing-state", which none uses).
inline constexpr std::string_view kPeerRecordDomain = "libp2p-peer-record";
/// The payload type of peer records: multicodec 0x0301 as the two bytes 03 01.
inline constexpr std::array<uint8_t, 2> kPeerRecordPayloadType{0x03, 0x01};

/// A verified (or self-sealed) signed peer record. A value type; thread-safe to share.
class SignedPeerRecord {
 public:
  /// Seals a record of `key`'s peer id with `seq` and `addresses` (each
  /// stored without a trailing /p2p). Throws std::length_error beyond
  /// kMaxRecordAddresses addresses or kMaxEnvelopeBytes.
  static SignedPeerRecord seal(const identity::KeyPair& key, uint64_t seq,
                               const std::vector<multiaddr::Multiaddr>& addresses);

  /// Opens and verifies an envelope. Returns nullopt, with `error` (if given)
  /// saying what was wrong, when the envelope does not open (see
  /// Envelope::open), its payload type is not a peer record's, the payload is
  /// not a valid PeerRecord, or the signing key is not the record's peer's.
  static std::optional<SignedPeerRecord> open(std::span<const uint8_t> bytes,
                                              std::string* error = nullptr);

  /// The record's peer (the signer).
  const identity::PeerId& peer() const { return record_.peer(); }
  /// The record.
  const PeerRecord& record() const { return record_; }
  /// The envelope bytes, to pass on unchanged.
  const std::vector<uint8_t>& envelope() const { return envelope_.bytes(); }

 private:
  SignedPeerRecord(Envelope envelope, PeerRecord record)
      : envelope_(std::move(envelope)), record_(std::move(record)) {}

  Envelope envelope_;
  PeerRecord record_;
};

}  // namespace prowl::peer_record
