// /ipfs/id/1.0.0 and /ipfs/id/push/1.0.0 on a swarm: answers identify
// requests with our record, asks peers for theirs, validates what they say
// (the public key must be the connection's proven peer), keeps it in a
// PeerStore, and pushes our record again when our protocols change. Our
// record carries our signed peer record (host/peer_record); a peer's signed
// peer record is verified and kept as its certified addresses.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "host/base/identity/peer_id.h"
#include "host/base/multiaddr/multiaddr.h"
#include "host/base/peer_record/signed_peer_record.h"
#include "host/wire/identify/identify_message.h"
#include "host/wire/identify/peer_store.h"
#include "host/swarm/stream.h"

namespace prowl::swarm {
class Swarm;
}

namespace prowl::protocols {

inline constexpr std::string_view kIdentifyProtocol = "/ipfs/id/1.0.0";
inline constexpr std::string_view kIdentifyPushProtocol = "/ipfs/id/push/1.0.0";
/// The protocolVersion prowl announces.
inline constexpr std::string_view kIdentifyProtocolVersion = "ipfs/0.1.0";

/// Identify over one swarm. Not thread-safe: use it from the swarm's
/// executor. Does not own the swarm or the store; both must outlive it.
class IdentifyService {
 public:
  /// `agent_version` is what we announce, e.g. "prowl/0.1.0"; a peer's
  /// identify or push message over `max_message_bytes` is refused.
  IdentifyService(swarm::Swarm& swarm, PeerStore& store, std::string agent_version,
                  size_t max_message_bytes = kMaxIdentifyBytes);

  /// Registers the identify and identify-push handlers on the swarm.
  void install();

  /// Our record as we tell it to a peer seen at `observed` (nullopt if unknown),
  /// with our signed peer record of our current listen addresses.
  IdentifyRecord local_record(const std::optional<multiaddr::Multiaddr>& observed) const;

  /// Our signed peer record of our current listen addresses, sealed again
  /// (with a greater seq: the larger of the last seq + 1 and the Unix time in
  /// ms) whenever they change.
  const peer_record::SignedPeerRecord& own_peer_record() const;

  /// Asks connected `peer` for its record, validates it, stores it and
  /// returns it. Addresses that do not parse are skipped (logged at debug).
  /// Throws swarm::StreamError when the stream fails, and std::runtime_error
  /// when the message is malformed or its public key is not `peer`'s.
  boost::asio::awaitable<IdentifyRecord> identify(const identity::PeerId& peer);

  /// Sends our record to every connected peer when our protocol list differs
  /// from what was last announced; returns the number of peers pushed to.
  /// A peer that fails is logged and skipped.
  boost::asio::awaitable<size_t> push_if_changed();

  /// Serves one inbound /ipfs/id/1.0.0 stream: writes our record, closes.
  boost::asio::awaitable<void> serve(swarm::Stream& stream);

  /// Serves one inbound /ipfs/id/push/1.0.0 stream: reads, validates and
  /// merges the pushed record into the store.
  boost::asio::awaitable<void> serve_push(swarm::Stream& stream);

 private:
  std::optional<multiaddr::Multiaddr> observed_address(const identity::PeerId& peer) const;
  /// Keeps the verified signed peer record `record` carries from `peer`; a bad one is logged and dropped.
  void keep_signed_record(const identity::PeerId& peer, const IdentifyRecord& record);

  swarm::Swarm& swarm_;
  PeerStore& store_;
  std::string agent_version_;
  size_t max_message_bytes_;
  std::vector<std::string> announced_protocols_;
  mutable std::optional<peer_record::SignedPeerRecord> own_record_;  // a cache of own_peer_record()
};

/// Reads one uvarint-length-prefixed identify message of at most
/// `max_bytes` from `stream` and decodes it; skipped entries are logged at
/// debug. Throws swarm::StreamError when the stream fails, ends early or
/// announces more than `max_bytes` ("stream /ipfs/id/1.0.0: message of N
/// bytes exceeds the limit of M"), and std::runtime_error when the message
/// is malformed.
boost::asio::awaitable<IdentifyRecord> read_identify(swarm::Stream& stream, size_t max_bytes = kMaxIdentifyBytes);

/// Writes `record` with its uvarint length prefix.
boost::asio::awaitable<void> write_identify(swarm::Stream& stream, const IdentifyRecord& record);

}  // namespace prowl::protocols
