// The peer routing record of libp2p RFC 0003 and its protobuf form: a peer's
// listen addresses and a sequence number that orders its records in time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "host/base/identity/peer_id.h"
#include "host/base/multiaddr/multiaddr.h"

namespace prowl::peer_record {

/// At most this many addresses are accepted in one record.
inline constexpr size_t kMaxRecordAddresses = 64;

/// A peer record. A value type; thread-safe to share.
class PeerRecord {
 public:
  /// REQUIRES: addresses.size() <= kMaxRecordAddresses (throws std::length_error).
  PeerRecord(identity::PeerId peer, uint64_t seq, std::vector<multiaddr::Multiaddr> addresses);

  /// Parses a PeerRecord protobuf. Returns nullopt, with `error` (if given)
  /// saying what was wrong and where, when the bytes are not a PeerRecord,
  /// the peer id is not a valid multihash, an address does not parse or is
  /// empty, or there are more than kMaxRecordAddresses addresses.
  static std::optional<PeerRecord> decode(std::span<const uint8_t> bytes,
                                          std::string* error = nullptr);

  /// The PeerRecord protobuf (fields in number order; seq 0 omitted, as proto3 does).
  std::vector<uint8_t> encode() const;

  const identity::PeerId& peer() const { return peer_; }
  uint64_t seq() const { return seq_; }
  const std::vector<multiaddr::Multiaddr>& addresses() const { return addresses_; }

  bool operator==(const PeerRecord&) const = default;

 private:
  identity::PeerId peer_;
  uint64_t seq_;
  std::vector<multiaddr::Multiaddr> addresses_;
};

}  // namespace prowl::peer_record
