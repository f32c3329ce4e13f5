// The gossipsub v1.1 router (libp2p/specs pubsub/gossipsub v1.0, v1.1 and the
// IDONTWANT extension of v1.2), sans-IO: the driver reports connections and
// received RPC bodies, calls heartbeat() every heartbeat_interval, and carries
// out the actions of take_actions(). Messages are StrictSign: signed with the
// node's Ed25519 key, and every received message's signature is verified.
//
// Peers are scored (P1..P7); a peer below the graylist threshold is ignored,
// below the gossip threshold gets and gives no gossip, below the publish
// threshold gets no flood-published messages, and below zero leaves meshes.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "host/base/identity/key_pair.h"
#include "host/base/identity/peer_id.h"
#include "host/wire/pubsub/action.h"
#include "host/wire/pubsub/gossip_promises.h"
#include "host/wire/pubsub/message_cache.h"
#include "host/wire/pubsub/peer_score.h"
#include "host/wire/pubsub/router_config.h"
#include "host/wire/pubsub/seen_cache.h"

namespace prowl::pubsub {

/// Event counters, for metrics and tests.
struct RouterStats {
  uint64_t rpcs_malformed = 0;            ///< undecodable or over a limit
  uint64_t rpcs_graylisted = 0;           ///< dropped: sender below the graylist threshold
  uint64_t messages_invalid_signature = 0;
  uint64_t messages_too_large = 0;
  uint64_t messages_unsubscribed = 0;     ///< for topics we are not subscribed to
  uint64_t messages_duplicate = 0;
  uint64_t messages_rejected = 0;         ///< by validation
  uint64_t messages_ignored = 0;          ///< by validation, timeout or a full queue
  uint64_t messages_delivered = 0;
  uint64_t ihave_ignored = 0;             ///< IHAVE RPCs over the score or volume limits
  uint64_t iwant_ignored = 0;             ///< IWANT RPCs from peers below the gossip threshold
  uint64_t iwant_ids_sent = 0;            ///< message ids we asked for
  uint64_t grafts_refused = 0;            ///< answered with PRUNE
  uint64_t graft_backoff_violations = 0;
  uint64_t idontwant_ignored = 0;         ///< ids over the per-heartbeat limit
};

/// The signed peer record envelope of `peer`, when one is known (from identify).
using PeerRecordLookup = std::function<std::optional<std::vector<uint8_t>>(const identity::PeerId&)>;

/// Not thread-safe: one driver calls everything.
class Router {
 public:
  /// Signs own messages with `key`. Throws std::invalid_argument for an inconsistent config.
  Router(identity::KeyPair key, RouterConfig config);

  /// This node's peer id.
  const identity::PeerId& local_peer() const { return local_; }

  /// A pubsub stream to `peer` speaking `protocol` is ready; `outbound` when we
  /// dialed the connection; `ip` (may be empty) feeds the IP colocation score.
  /// Announces our subscriptions. A known peer is left as is.
  void on_peer_connected(const identity::PeerId& peer, bool outbound, Protocol protocol,
                         const std::string& ip = {});

  /// The peer's pubsub streams or connection closed.
  void on_peer_disconnected(const identity::PeerId& peer);

  /// One RPC body (length prefix removed) received from a connected peer.
  void on_rpc(const identity::PeerId& peer, std::span<const uint8_t> body);

  /// Joins `topic`: announces it and builds its mesh (from fanout peers first).
  void subscribe(const std::string& topic);

  /// Leaves `topic`: announces it and prunes its mesh with the unsubscribe backoff.
  void unsubscribe(const std::string& topic);

  /// True while subscribed to `topic`.
  bool subscribed(const std::string& topic) const { return mesh_.count(topic) != 0; }

  /// With validation on, received messages of `topic` wait for report_validation
  /// after a ValidateMessage action; otherwise a valid signature suffices.
  void set_validation(const std::string& topic, bool enabled);

  /// Signs and sends a message. Returns its id, or nullopt and why in `error`
  /// if given (empty or over-long topic, data over max_message_size).
  std::optional<MessageId> publish(const std::string& topic, std::span<const uint8_t> data,
                                   std::string* error = nullptr);

  /// The verdict on a ValidateMessage; false when `id` is not awaiting one
  /// (unknown, already reported, or timed out).
  bool report_validation(const MessageId& id, Verdict verdict);

  /// The outcome of a CheckSignature: the author verify_message found, or
  /// nullopt for a bad signature. A bad copy is counted against the peer that
  /// sent it and the next copy received meanwhile (if any) is checked in its
  /// place. False when `id` is not awaiting a check.
  bool report_signature(const MessageId& id, std::optional<identity::PeerId> author);

  /// Periodic upkeep: mesh and fanout maintenance, gossip, score decay,
  /// backoff and cache expiry, broken-promise penalties.
  void heartbeat();

  /// Where PRUNE peer exchange finds the signed peer records of the peers it
  /// suggests (records over rpc_limits.max_peer_record_bytes are left out);
  /// without a lookup, PX carries peer ids only.
  void set_peer_record_lookup(PeerRecordLookup lookup) { peer_records_ = std::move(lookup); }

  /// Sets the application-specific score (P5) of a connected peer.
  void set_application_score(const identity::PeerId& peer, double value);

  /// Moves the pending actions out, oldest first.
  std::vector<Action> take_actions();

  /// The current score of `peer`.
  double score(const identity::PeerId& peer) const;
  /// Our mesh peers of `topic`.
  std::vector<identity::PeerId> mesh_peers(const std::string& topic) const;
  /// Our fanout peers of `topic`.
  std::vector<identity::PeerId> fanout_peers(const std::string& topic) const;
  /// Connected peers subscribed to `topic`.
  std::vector<identity::PeerId> topic_peers(const std::string& topic) const;
  /// True while we must not graft `peer` into `topic` (its backoff, plus two heartbeats of slack).
  bool in_backoff(const identity::PeerId& peer, const std::string& topic) const;
  /// Event counters.
  const RouterStats& stats() const { return stats_; }

 private:
  using PeerSet = std::set<identity::PeerId>;

  struct PeerState {
    Protocol protocol = Protocol::kMeshsub11;
    bool outbound = false;
    std::set<std::string> topics;
    size_t ihaves_this_heartbeat = 0;
    size_t ids_asked_this_heartbeat = 0;
    size_t idontwant_this_heartbeat = 0;
    std::unordered_map<MessageId, uint64_t> dont_send;  // id -> heartbeat it arrived
    pb::RPC outgoing;
    bool dirty = false;
  };
  /// A message whose signature is being checked elsewhere, and the copies
  /// of it that arrived meanwhile (the first few kept in case it is forged).
  struct PendingSignature {
    identity::PeerId source;
    std::shared_ptr<const pb::Message> message;
    std::vector<std::pair<identity::PeerId, pb::Message>> spares;
    std::vector<identity::PeerId> duplicate_sources;
  };
  struct PendingValidation {
    pb::Message message;
    identity::PeerId source;
    identity::PeerId author;
    Clock::time_point deadline;
  };

  Clock::time_point now() const { return clock_(); }
  pb::RPC& outgoing(const identity::PeerId& peer);
  void flush();

  void handle_subscription(const identity::PeerId& peer, PeerState& state,
                           const pb::RPC::SubOpts& sub);
  void handle_message(const identity::PeerId& source, pb::Message& message);
  /// Holds a copy of a message being checked, or counts it as a duplicate.
  void hold_copy(PendingSignature& pending, const identity::PeerId& source, pb::Message& message);
  /// Asks the driver to check `message`'s signature; returns its entry in checking_.
  PendingSignature& check_signature(const MessageId& id, const identity::PeerId& source, pb::Message message);
  /// The rest of handle_message once the signature check of `message` is done.
  void handle_checked(const MessageId& id, const identity::PeerId& source, pb::Message message,
                      const std::optional<identity::PeerId>& author);
  void accept(const MessageId& id, const identity::PeerId& source,
              const identity::PeerId& author, const pb::Message& message);
  void send_message(const MessageId& id, const pb::Message& message, const PeerSet& to,
                    const identity::PeerId& skip_a, const identity::PeerId& skip_b);
  void handle_ihave(const identity::PeerId& peer, PeerState& state,
                    const pb::ControlMessage& control);
  void handle_iwant(const identity::PeerId& peer, const pb::ControlMessage& control);
  void handle_graft(const identity::PeerId& peer, const PeerState& state,
                    const pb::ControlMessage& control);
  void handle_prune(const identity::PeerId& peer, const pb::ControlMessage& control);
  void handle_idontwant(PeerState& state, const pb::ControlMessage& control);

  void graft(const std::string& topic, const identity::PeerId& peer);
  void prune(const std::string& topic, const identity::PeerId& peer, bool px,
             Clock::duration backoff);
  void add_backoff(const std::string& topic, const identity::PeerId& peer,
                   Clock::duration backoff);
  void maintain_mesh(const std::string& topic);
  void maintain_fanout();
  void emit_gossip(const std::string& topic, const PeerSet& exclude);
  void expire_pending(Clock::time_point t);
  Message to_public(const pb::Message& message, const identity::PeerId& author) const;
  /// Up to `n` random peers of `topic` outside `exclude` that pass `filter`.
  template <typename Filter>
  std::vector<identity::PeerId> pick(const std::string& topic, const PeerSet& exclude, size_t n,
                                     Filter filter);
  bool graftable(const std::string& topic, const identity::PeerId& peer) const;
  std::optional<Clock::time_point> backoff_expiry(const std::string& topic,
                                                  const identity::PeerId& peer) const;

  identity::KeyPair key_;
  identity::PeerId local_;
  RouterConfig config_;
  std::function<Clock::time_point()> clock_;
  std::function<MessageId(const pb::Message&)> message_id_;
  PeerRecordLookup peer_records_;
  std::mt19937_64 rng_;
  uint64_t next_seqno_;
  uint64_t heartbeats_ = 0;

  std::map<identity::PeerId, PeerState> peers_;
  std::map<std::string, PeerSet> topic_peers_;
  std::map<std::string, PeerSet> mesh_;  // one entry per subscribed topic
  std::map<std::string, PeerSet> fanout_;
  std::map<std::string, Clock::time_point> fanout_last_publish_;
  std::map<std::string, std::map<identity::PeerId, Clock::time_point>> backoff_;
  std::set<std::string> validated_topics_;
  std::unordered_map<MessageId, PendingValidation> pending_;
  std::unordered_map<MessageId, PendingSignature> checking_;

  MessageCache mcache_;
  SeenCache seen_;
  PeerScore score_;
  GossipPromises promises_;
  RouterStats stats_;
  std::vector<Action> actions_;
};

}  // namespace prowl::pubsub
