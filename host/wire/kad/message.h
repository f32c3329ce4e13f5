// The kad-dht wire message (libp2p kad-dht spec): requests and responses
// share one protobuf. Sans-IO: bytes in, message out. On a stream each
// message is prefixed by its uvarint length (at most kMaxMessageBytes).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "host/base/identity/peer_id.h"
#include "host/wire/kad/constants.h"
#include "host/base/multiaddr/multiaddr.h"

namespace prowl::kad {

/// The RPC a message carries; a response has its request's type.
enum class MessageType : int32_t {
  kPutValue = 0,
  kGetValue = 1,
  kAddProvider = 2,
  kGetProviders = 3,
  kFindNode = 4,
  kPing = 5,
};

/// What the sender knows of its connection to a peer it names.
enum class ConnectionType : int32_t {
  kNotConnected = 0,
  kConnected = 1,
  kCanConnect = 2,
  kCannotConnect = 3,
};

/// A peer named in a message, with the addresses the sender knows for it.
struct PeerInfo {
  identity::PeerId id;
  std::vector<multiaddr::Multiaddr> addresses;
  ConnectionType connection = ConnectionType::kNotConnected;

  friend bool operator==(const PeerInfo&, const PeerInfo&) = default;
};

/// A key/value record; time_received is RFC 3339 text set by the storing node.
struct Record {
  std::vector<uint8_t> key;
  std::vector<uint8_t> value;
  std::string time_received;

  friend bool operator==(const Record&, const Record&) = default;
};

/// One kad-dht message.
struct Message {
  MessageType type = MessageType::kPing;
  std::vector<uint8_t> key;
  std::optional<Record> record;
  std::vector<PeerInfo> closer_peers;
  std::vector<PeerInfo> provider_peers;

  friend bool operator==(const Message&, const Message&) = default;
};

/// A decoded message, and the entries that were dropped from it.
struct DecodedMessage {
  Message message;
  std::vector<std::string> skipped;  ///< why each dropped peer or address was dropped
};

/// Serialises `message` as the kad protobuf (no length prefix).
/// REQUIRES: the message respects the limits decode_message enforces.
std::vector<uint8_t> encode_message(const Message& message);

/// Parses a kad protobuf of at most `max_bytes`. Malformed protobuf, an
/// unknown type, or a key, record key or value over its limit is an error
/// (nullopt; `error` says what and where). A peer whose id is not a peer id,
/// addresses that do not parse or exceed kMaxAddressBytes, and entries beyond
/// kMaxPeersPerMessage peers or kMaxAddressesPerPeer addresses are dropped
/// and listed in `skipped`.
std::optional<DecodedMessage> decode_message(std::span<const uint8_t> bytes, std::string* error = nullptr,
                                             size_t max_bytes = kMaxMessageBytes);

}  // namespace prowl::kad
