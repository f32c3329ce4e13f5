#include "host/wire/kad/message.h"

#include "host/wire/kad/constants.h"
#include "host/wire/kad/kad.pb.h"

namespace prowl::kad {
namespace {

// RFC 3339 text is about 30 bytes; anything much longer is not a timestamp.
constexpr size_t kMaxTimeReceivedBytes = 64;

std::string to_string(std::span<const uint8_t> bytes) { return {bytes.begin(), bytes.end()}; }

std::span<const uint8_t> as_bytes(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

std::vector<uint8_t> to_vector(const std::string& s) { return {s.begin(), s.end()}; }

void set_error(std::string* error, std::string message) {
  if (error != nullptr) *error = std::move(message);
}

void encode_peers(const std::vector<PeerInfo>& peers,
                  google::protobuf::RepeatedPtrField<pb::Message::Peer>* out) {
  for (const PeerInfo& peer : peers) {
    pb::Message::Peer* p = out->Add();
    p->set_id(to_string(peer.id.bytes()));
    for (const auto& address : peer.addresses) p->add_addrs(to_string(address.bytes()));
    p->set_connection(static_cast<pb::Message::ConnectionType>(peer.connection));
  }
}

// Reads the peers of one repeated field, dropping what cannot be used.
std::vector<PeerInfo> decode_peers(const google::protobuf::RepeatedPtrField<pb::Message::Peer>& in,
                                   const char* field, std::vector<std::string>& skipped) {
  std::vector<PeerInfo> peers;
  for (int i = 0; i < in.size(); ++i) {
    const std::string where = std::string(field) + "[" + std::to_string(i) + "]";
    if (peers.size() == kMaxPeersPerMessage) {
      skipped.push_back(where + ": more than " + std::to_string(kMaxPeersPerMessage) + " peers");
      break;
    }
    const pb::Message::Peer& p = in[i];
    std::string why;
    auto id = identity::PeerId::from_bytes(as_bytes(p.id()), &why);
    if (!id) {
      skipped.push_back(where + ".id: " + why);
      continue;
    }
    PeerInfo info{*id, {}, ConnectionType::kNotConnected};
    const int connection = p.connection();
    if (connection >= 0 && connection <= static_cast<int>(ConnectionType::kCannotConnect)) {
      info.connection = static_cast<ConnectionType>(connection);
    }
    for (int j = 0; j < p.addrs_size(); ++j) {
      const std::string at = where + ".addrs[" + std::to_string(j) + "]";
      if (info.addresses.size() == kMaxAddressesPerPeer) {
        skipped.push_back(at + ": more than " + std::to_string(kMaxAddressesPerPeer) + " addresses");
        break;
      }
      if (p.addrs(j).size() > kMaxAddressBytes) {
        skipped.push_back(at + ": address of " + std::to_string(p.addrs(j).size()) +
                          " bytes exceeds " + std::to_string(kMaxAddressBytes));
        continue;
      }
      auto address = multiaddr::Multiaddr::from_bytes(as_bytes(p.addrs(j)), &why);
      if (!address || address->empty()) {
        skipped.push_back(at + ": " + (address ? std::string("empty address") : why));
        continue;
      }
      info.addresses.push_back(std::move(*address));
    }
    peers.push_back(std::move(info));
  }
  return peers;
}

bool check_length(size_t size, size_t limit, const char* what, std::string* error) {
  if (size <= limit) return true;
  set_error(error, std::string("kad message: ") + what + " of " + std::to_string(size) +
                       " bytes exceeds the limit of " + std::to_string(limit));
  return false;
}

}  // namespace

std::vector<uint8_t> encode_message(const Message& message) {
  pb::Message m;
  m.set_type(static_cast<pb::Message::MessageType>(message.type));
  m.set_key(to_string(message.key));
  if (message.record) {
    pb::Record* r = m.mutable_record();
    r->set_key(to_string(message.record->key));
    r->set_value(to_string(message.record->value));
    r->set_timereceived(message.record->time_received);
  }
  encode_peers(message.closer_peers, m.mutable_closerpeers());
  encode_peers(message.provider_peers, m.mutable_providerpeers());
  std::vector<uint8_t> out(m.ByteSizeLong());
  m.SerializeWithCachedSizesToArray(out.data());
  return out;
}

std::optional<DecodedMessage> decode_message(std::span<const uint8_t> bytes, std::string* error,
                                             size_t max_bytes) {
  if (!check_length(bytes.size(), max_bytes, "message", error)) return std::nullopt;
  pb::Message m;
  if (!m.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    set_error(error, "kad message: " + std::to_string(bytes.size()) +
                         " bytes are not a valid Message protobuf");
    return std::nullopt;
  }
  if (m.type() < static_cast<int>(MessageType::kPutValue) ||
      m.type() > static_cast<int>(MessageType::kPing)) {
    set_error(error, "kad message: type " + std::to_string(m.type()) + " is not a kad message type");
    return std::nullopt;
  }
  if (!check_length(m.key().size(), kMaxKeyBytes, "key", error)) return std::nullopt;
  DecodedMessage out;
  Message& message = out.message;
  message.type = static_cast<MessageType>(m.type());
  message.key = to_vector(m.key());
  if (m.has_record()) {
    const pb::Record& r = m.record();
    if (!check_length(r.key().size(), kMaxKeyBytes, "record.key", error) ||
        !check_length(r.value().size(), kMaxValueBytes, "record.value", error) ||
        !check_length(r.timereceived().size(), kMaxTimeReceivedBytes, "record.timeReceived", error)) {
      return std::nullopt;
    }
    message.record = Record{to_vector(r.key()), to_vector(r.value()), r.timereceived()};
  }
  message.closer_peers = decode_peers(m.closerpeers(), "closerPeers", out.skipped);
  message.provider_peers = decode_peers(m.providerpeers(), "providerPeers", out.skipped);
  return out;
}

}  // namespace prowl::kad
