// The identify record a peer tells another about itself, and its protobuf
// wire form (libp2p identify spec). Sans-IO: bytes in, record out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "host/base/identity/peer_id.h"
#include "host/base/multiaddr/multiaddr.h"

namespace prowl::protocols {

/// The default largest identify message accepted (without its length
/// prefix), in bytes (config network.limits.max_identify_bytes).
inline constexpr size_t kMaxIdentifyBytes = 64 * 1024;
/// At most this many listen addresses and protocols are kept from one message.
inline constexpr size_t kMaxIdentifyListEntries = 512;
/// The longest protocol id kept (multistream-select caps a message near this).
inline constexpr size_t kMaxProtocolIdBytes = 1024;

/// What an identify message says. Absent optional fields stay nullopt so an
/// /ipfs/id/push update can change only what it carries.
struct IdentifyRecord {
  std::optional<std::string> protocol_version;
  std::optional<std::string> agent_version;
  std::optional<std::vector<uint8_t>> public_key;  ///< libp2p PublicKey protobuf
  std::vector<multiaddr::Multiaddr> listen_addrs;
  std::optional<multiaddr::Multiaddr> observed_addr;
  std::vector<std::string> protocols;
  std::optional<std::vector<uint8_t>> signed_peer_record;  ///< an envelope as received; PeerStore::add_certified verifies it
};

/// A decoded message, and the entries that were dropped from it.
struct DecodedIdentify {
  IdentifyRecord record;
  std::vector<std::string> skipped;  ///< why each dropped address or protocol was dropped
};

/// Serialises `record` as an Identify protobuf (no length prefix).
std::vector<uint8_t> encode_identify(const IdentifyRecord& record);

/// Parses an Identify protobuf of at most `max_bytes`. Malformed protobuf
/// or an oversized message is an error (nullopt, `error` says what); an
/// address that does not parse, a protocol id that is empty or longer than
/// kMaxProtocolIdBytes, and entries beyond kMaxIdentifyListEntries are
/// dropped and each listed in `skipped`.
std::optional<DecodedIdentify> decode_identify(std::span<const uint8_t> bytes, std::string* error = nullptr,
                                               size_t max_bytes = kMaxIdentifyBytes);

/// True when `record` carries a public key that decodes and derives `peer`;
/// otherwise false, with `error` saying what was wrong.
bool identifies_peer(const IdentifyRecord& record, const identity::PeerId& peer,
                     std::string* error = nullptr);

}  // namespace prowl::protocols
