// Binds the sans-IO gossipsub router (host/pubsub) to a Swarm: serves the
// /meshsub/1.2.0, 1.1.0 and 1.0.0 protocols, keeps one long-lived outbound
// stream per peer for the RPCs we send and reads every inbound stream of a
// peer, runs the heartbeat, and hands messages to local subscribers and
// validators. Each peer's outgoing RPCs wait in a bounded queue; when a slow
// peer's queue is full, further RPCs to it are dropped and counted. A failed
// outbound stream to a still-connected peer is reopened (bounded, with
// backoff). Peer exchange from PRUNEs is followed by dialing the verified
// signed peer records' addresses.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "host/base/identity/peer_id.h"
#include "host/wire/pubsub/action.h"
#include "host/wire/pubsub/router.h"
#include "host/wire/pubsub/router_config.h"
#include "host/swarm/swarm.h"

namespace prowl::pubsub_service {

/// Settings of a PubsubService.
struct PubsubServiceConfig {
  pubsub::RouterConfig router;           ///< the gossipsub router's tunables
  size_t max_queued_rpcs_per_peer = 1024; ///< outgoing RPC bodies waiting for one peer's stream
  size_t max_px_dials = 4;                ///< peer-exchange dials in flight at once; more suggestions are skipped
  size_t px_connection_limit = 64;        ///< no peer-exchange dials while this many connections are live
  size_t max_stream_reopens = 3;          ///< reopens of failed outbound streams to one connected peer, per connection
  std::chrono::milliseconds stream_reopen_backoff{200};  ///< before the first reopen; doubles per attempt
  /// Threads that check message signatures; 0 checks them inline on the
  /// executor. With threads, messages may be delivered in another order than
  /// they arrived (gossipsub promises no order).
  size_t signature_check_threads = 0;
};

/// Event counters of the driver (the router's own are in Router::stats()).
struct PubsubServiceStats {
  uint64_t rpcs_received = 0;            ///< RPC bodies read from inbound streams
  uint64_t rpcs_sent = 0;                ///< RPC bodies written to outbound streams
  uint64_t rpcs_dropped_queue_full = 0;  ///< not queued: the peer's queue was full
  uint64_t inbound_streams = 0;          ///< pubsub streams peers opened to us
  uint64_t stream_failures = 0;          ///< streams that ended with an error (reset, oversize frame)
  uint64_t peers_unsupported = 0;        ///< connected peers that speak no meshsub protocol
  uint64_t messages_published = 0;       ///< by this node
  uint64_t messages_delivered = 0;       ///< messages handed to local subscribers
  uint64_t validations_accepted = 0;
  uint64_t validations_rejected = 0;
  uint64_t validations_ignored = 0;
  uint64_t px_skipped = 0;  ///< peer-exchange suggestions not dialed: no verifiable signed peer record
  uint64_t px_ignored = 0;  ///< peer-exchange suggestions not dialed: connected, ourselves, or over a limit
  uint64_t px_dialed = 0;   ///< peer-exchange dials that connected
  uint64_t px_dial_failures = 0;  ///< peer-exchange dials where every address of the record failed
  uint64_t stream_reopens = 0;    ///< failed outbound streams reopened to a still-connected peer
};

/// A message handler; runs on the service's executor.
using MessageHandler = std::function<void(const pubsub::Message&)>;
/// A synchronous validator.
using Validator = std::function<pubsub::Verdict(const pubsub::Message&)>;
/// An asynchronous validator; an exception counts as kIgnore.
using AsyncValidator = std::function<boost::asio::awaitable<pubsub::Verdict>(const pubsub::Message&)>;
/// Identifies one subscribe() call.
using SubscriptionId = uint64_t;
/// Identifies one add_validator() or add_async_validator() call.
using ValidatorId = uint64_t;

/// Not thread-safe: use it on `executor`, the swarm's executor. Destroy it
/// before the swarm; destruction closes its streams and stops its timer.
class PubsubService {
 public:
  /// Registers the meshsub handlers and a connection observer on `swarm`,
  /// adopts the swarm's live connections and starts the heartbeat. The router
  /// signs with the swarm's identity. Throws std::invalid_argument for an
  /// inconsistent router config.
  PubsubService(boost::asio::any_io_executor executor, swarm::Swarm& swarm,
                PubsubServiceConfig config = {});
  ~PubsubService();
  PubsubService(const PubsubService&) = delete;
  PubsubService& operator=(const PubsubService&) = delete;

  /// Calls `handler` with every message of `topic` (own ones included) until
  /// unsubscribe(id); the first subscription of a topic joins it.
  SubscriptionId subscribe(const std::string& topic, MessageHandler handler);

  /// Ends a subscription; the last one of a topic leaves it. Unknown ids are ignored.
  void unsubscribe(SubscriptionId id);

  /// Signs and sends `data` to `topic`. Returns the message id, or nullopt
  /// and why in `error` if given (see Router::publish).
  std::optional<pubsub::MessageId> publish(const std::string& topic, std::span<const uint8_t> data,
                                           std::string* error = nullptr);

  /// Adds a validator for received messages of `topic`; a message is
  /// delivered and forwarded only when every validator accepts it; a reject
  /// also penalizes the peers that sent it. Kept until remove_validator(id).
  ValidatorId add_validator(const std::string& topic, Validator validator);
  /// As add_validator, for a validator that awaits.
  ValidatorId add_async_validator(const std::string& topic, AsyncValidator validator);
  /// Drops a validator; messages already being validated still ask it. Once
  /// a topic has none, its messages are delivered unvalidated. Unknown ids
  /// are ignored.
  void remove_validator(ValidatorId id);
  /// How many validators `topic` has.
  size_t validators(const std::string& topic) const;

  /// Where peer exchange finds the signed peer records (from identify, e.g.
  /// PeerStore::certified) of the peers our PRUNEs suggest. Received PX is
  /// followed without it: a suggestion from a peer scoring at least accept_px
  /// is dialed at the addresses of its verified signed peer record.
  void set_peer_record_lookup(pubsub::PeerRecordLookup lookup);

  /// Peers with a pubsub link (an outbound stream opened or an inbound one read).
  std::vector<identity::PeerId> peers() const;

  /// The router, for scores, meshes and its counters.
  const pubsub::Router& router() const;

  /// The driver's counters.
  const PubsubServiceStats& stats() const;

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;  // shared with the service's coroutines, which may outlive it
};

}  // namespace prowl::pubsub_service
