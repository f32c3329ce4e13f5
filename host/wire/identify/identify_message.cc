#include "host/wire/identify/identify_message.h"


#include "host/wire/identify/identify.pb.h"

namespace prowl::protocols {
namespace {

std::vector<uint8_t> to_bytes(const std::string& s) { return {s.begin(), s.end()}; }
std::string to_string(std::span<const uint8_t> b) { return {b.begin(), b.end()}; }

void set_error(std::string* error, std::string message) {
  if (error != nullptr) *error = std::move(message);
}

}  // namespace

std::vector<uint8_t> encode_identify(const IdentifyRecord& record) {
  pb::Identify message;
  if (record.protocol_version) message.set_protocolversion(*record.protocol_version);
  if (record.agent_version) message.set_agentversion(*record.agent_version);
  if (record.public_key) message.set_publickey(to_string(*record.public_key));
  for (const auto& address : record.listen_addrs) message.add_listenaddrs(to_string(address.bytes()));
  if (record.observed_addr) message.set_observedaddr(to_string(record.observed_addr->bytes()));
  for (const auto& protocol : record.protocols) message.add_protocols(protocol);
  if (record.signed_peer_record) message.set_signedpeerrecord(to_string(*record.signed_peer_record));
  std::vector<uint8_t> out(message.ByteSizeLong());
  message.SerializeWithCachedSizesToArray(out.data());
  return out;
}

std::optional<DecodedIdentify> decode_identify(std::span<const uint8_t> bytes, std::string* error,
                                               size_t max_bytes) {
  if (bytes.size() > max_bytes) {
    set_error(error, "identify message of " + std::to_string(bytes.size()) +
                         " bytes exceeds the limit of " + std::to_string(max_bytes));
    return std::nullopt;
  }
  pb::Identify message;
  if (!message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    set_error(error, "identify message of " + std::to_string(bytes.size()) +
                         " bytes is not a valid Identify protobuf");
    return std::nullopt;
  }
  DecodedIdentify out;
  IdentifyRecord& r = out.record;
  if (message.has_protocolversion()) r.protocol_version = message.protocolversion();
  if (message.has_agentversion()) r.agent_version = message.agentversion();
  if (message.has_publickey()) r.public_key = to_bytes(message.publickey());
  if (message.has_signedpeerrecord()) r.signed_peer_record = to_bytes(message.signedpeerrecord());
  if (message.has_observedaddr()) {
    std::string why;
    const std::string& raw = message.observedaddr();
    r.observed_addr = multiaddr::Multiaddr::from_bytes(
        {reinterpret_cast<const uint8_t*>(raw.data()), raw.size()}, &why);
    if (!r.observed_addr) out.skipped.push_back("observedAddr: " + why);
  }
  for (int i = 0; i < message.listenaddrs_size(); ++i) {
    if (r.listen_addrs.size() == kMaxIdentifyListEntries) {
      out.skipped.push_back("listenAddrs[" + std::to_string(i) + "]: more than " +
                            std::to_string(kMaxIdentifyListEntries) + " addresses");
      break;
    }
    std::string why;
    const std::string& raw = message.listenaddrs(i);
    auto address = multiaddr::Multiaddr::from_bytes(
        {reinterpret_cast<const uint8_t*>(raw.data()), raw.size()}, &why);
    if (address && !address->empty()) {
      r.listen_addrs.push_back(std::move(*address));
    } else {
      out.skipped.push_back("listenAddrs[" + std::to_string(i) + "]: " +
                            (address ? std::string("empty address") : why));
    }
  }
  for (int i = 0; i < message.protocols_size(); ++i) {
    if (r.protocols.size() == kMaxIdentifyListEntries) {
      out.skipped.push_back("protocols[" + std::to_string(i) + "]: more than " +
                            std::to_string(kMaxIdentifyListEntries) + " protocols");
      break;
    }
    const std::string& protocol = message.protocols(i);
    if (protocol.empty() || protocol.size() > kMaxProtocolIdBytes) {
      out.skipped.push_back("protocols[" + std::to_string(i) + "]: protocol id of " +
                            std::to_string(protocol.size()) + " bytes");
      continue;
    }
    r.protocols.push_back(protocol);
  }
  return out;
}

bool identifies_peer(const IdentifyRecord& record, const identity::PeerId& peer,
                     std::string* error) {
  if (!record.public_key) {
    set_error(error, "identify from " + peer.to_string() + " carries no public key");
    return false;
  }
  std::string why;
  const auto key = identity::PublicKey::from_protobuf(*record.public_key, &why);
  if (!key) {
    set_error(error, "identify from " + peer.to_string() + " carries a bad public key: " + why);
    return false;
  }
  const identity::PeerId derived = identity::PeerId::from_public_key(*key);
  if (derived != peer) {
    set_error(error, "identify from " + peer.to_string() + " carries the public key of " +
                         derived.to_string());
    return false;
  }
  return true;
}

}  // namespace prowl::protocols
