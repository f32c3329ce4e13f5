#include "host/base/peer_record/signed_peer_record.h"

#include <algorithm>
#include <utility>

#include "host/base/encoding/hex.h"

namespace prowl::peer_record {

SignedPeerRecord SignedPeerRecord::seal(const identity::KeyPair& key, uint64_t seq,
                                        const std::vector<multiaddr::Multiaddr>& addresses) {
  std::vector<multiaddr::Multiaddr> bare;
  bare.reserve(addresses.size());
  for (const auto& address : addresses) bare.push_back(address.without_peer());
  PeerRecord record(identity::PeerId::from_public_key(key.public_key()), seq, std::move(bare));
  Envelope envelope = Envelope::seal(key, kPeerRecordDomain, kPeerRecordPayloadType, record.encode());
  return SignedPeerRecord(std::move(envelope), std::move(record));
}

std::optional<SignedPeerRecord> SignedPeerRecord::open(std::span<const uint8_t> bytes,
                                                       std::string* error) {
  auto envelope = Envelope::open(bytes, kPeerRecordDomain, error);
  if (!envelope) return std::nullopt;
  if (!std::ranges::equal(envelope->payload_type(), kPeerRecordPayloadType)) {
    if (error != nullptr) {
      *error = "signed peer record: payload type " + encoding::hex_encode(envelope->payload_type()) +
               " is not a peer record's (0301)";
    }
    return std::nullopt;
  }
  auto record = PeerRecord::decode(envelope->payload(), error);
  if (!record) return std::nullopt;
  const identity::PeerId signer = identity::PeerId::from_public_key(envelope->public_key());
  if (signer != record->peer()) {
    if (error != nullptr) {
      *error = "signed peer record: signed by " + signer.to_string() + " but describes " +
               record->peer().to_string();
    }
    return std::nullopt;
  }
  return SignedPeerRecord(std::move(*envelope), std::move(*record));
}

}  // namespace prowl::peer_record
