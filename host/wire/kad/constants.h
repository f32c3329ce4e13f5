// Kademlia parameters and bounds shared by prowl's DHT (libp2p kad-dht spec
// values where the spec gives them).
#pragma once

#include <chrono>
#include <cstddef>
#include <string_view>

namespace prowl::kad {

/// Wall-clock time: record and provider expiry must survive a restart.
using Clock = std::chrono::system_clock;
/// A point in wall-clock time, always passed in by the caller (sans-IO).
using Time = Clock::time_point;

/// The protocol id of the libp2p DHT.
inline constexpr std::string_view kProtocolId = "/ipfs/kad/1.0.0";

/// k: bucket size, replication factor and the size of a lookup's answer.
inline constexpr size_t kBucketSize = 20;
/// alpha: requests a lookup keeps in flight.
inline constexpr size_t kAlpha = 3;

/// The default largest message accepted (without its uvarint length prefix),
/// in bytes (config network.limits.max_kad_message_bytes).
inline constexpr size_t kMaxMessageBytes = 64 * 1024;
/// The longest record or lookup key accepted, in bytes.
inline constexpr size_t kMaxKeyBytes = 1024;
/// The largest record value accepted, in bytes.
inline constexpr size_t kMaxValueBytes = 16 * 1024;
/// At most this many closer peers, and this many provider peers, are read
/// from or written to one message.
inline constexpr size_t kMaxPeersPerMessage = kBucketSize;
/// At most this many addresses are kept per peer.
inline constexpr size_t kMaxAddressesPerPeer = 8;
/// Longer binary multiaddrs are dropped; with the limits above any response
/// prowl writes stays below kMaxMessageBytes.
inline constexpr size_t kMaxAddressBytes = 160;

/// How long a stored value lives without being put again.
inline constexpr std::chrono::hours kRecordTtl{36};
/// How long a provider record lives without being added again.
inline constexpr std::chrono::hours kProviderTtl{48};
/// How often a node re-announces the keys it provides.
inline constexpr std::chrono::hours kProviderRepublishInterval{22};

}  // namespace prowl::kad
