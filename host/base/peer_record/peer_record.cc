#include "host/base/peer_record/peer_record.h"

#include <stdexcept>
#include <utility>

#include "host/base/peer_record/peer_record.pb.h"

namespace prowl::peer_record {
namespace {

std::span<const uint8_t> as_span(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

void set_error(std::string* error, std::string message) {
  if (error != nullptr) *error = "peer record: " + std::move(message);
}

}  // namespace

PeerRecord::PeerRecord(identity::PeerId peer, uint64_t seq, std::vector<multiaddr::Multiaddr> addresses)
    : peer_(std::move(peer)), seq_(seq), addresses_(std::move(addresses)) {
  if (addresses_.size() > kMaxRecordAddresses) {
    throw std::length_error("peer record: " + std::to_string(addresses_.size()) +
                            " addresses exceed " + std::to_string(kMaxRecordAddresses));
  }
}

std::optional<PeerRecord> PeerRecord::decode(std::span<const uint8_t> bytes, std::string* error) {
  pb::PeerRecord message;
  if (!message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    set_error(error, std::to_string(bytes.size()) + " bytes are not a PeerRecord protobuf");
    return std::nullopt;
  }
  std::string why;
  auto peer = identity::PeerId::from_bytes(as_span(message.peer_id()), &why);
  if (!peer) {
    set_error(error, "peer_id (field 1): " + why);
    return std::nullopt;
  }
  if (static_cast<size_t>(message.addresses_size()) > kMaxRecordAddresses) {
    set_error(error, std::to_string(message.addresses_size()) + " addresses exceed the limit of " +
                         std::to_string(kMaxRecordAddresses));
    return std::nullopt;
  }
  std::vector<multiaddr::Multiaddr> addresses;
  addresses.reserve(static_cast<size_t>(message.addresses_size()));
  for (int i = 0; i < message.addresses_size(); ++i) {
    auto address = multiaddr::Multiaddr::from_bytes(as_span(message.addresses(i).multiaddr()), &why);
    if (!address || address->empty()) {
      set_error(error, "addresses[" + std::to_string(i) + "]: " + (address ? "empty multiaddr" : why));
      return std::nullopt;
    }
    addresses.push_back(std::move(*address));
  }
  return PeerRecord(std::move(*peer), message.seq(), std::move(addresses));
}

std::vector<uint8_t> PeerRecord::encode() const {
  pb::PeerRecord message;
  message.set_peer_id(peer_.bytes().data(), peer_.bytes().size());
  message.set_seq(seq_);
  for (const auto& address : addresses_) {
    const auto raw = address.bytes();
    message.add_addresses()->set_multiaddr(raw.data(), raw.size());
  }
  std::vector<uint8_t> out(message.ByteSizeLong());
  message.SerializeWithCachedSizesToArray(out.data());
  return out;
}

}  // namespace prowl::peer_record
