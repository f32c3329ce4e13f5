// gossipsub v1.1 peer scoring: the counters behind P1..P7 per peer and topic,
// fed by the router's events, with decay and retention of disconnected peers.
#pragma once

#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>

#include "host/base/identity/peer_id.h"
#include "host/wire/pubsub/message_id.h"
#include "host/wire/pubsub/score_params.h"

namespace prowl::pubsub {

/// Not thread-safe. Events about unknown peers are ignored.
class PeerScore {
 public:
  /// `record_ttl` bounds how long per-message delivery records (who delivered
  /// a message while it was being validated) are kept; use the seen-cache ttl.
  PeerScore(ScoreParams params, Clock::duration record_ttl);

  /// A connection to `peer` from `ip` (empty when unknown) opened; counters
  /// retained from an earlier connection are kept.
  void add_peer(const identity::PeerId& peer, const std::string& ip);

  /// The connection closed. A peer with a positive score is forgotten; other
  /// peers' counters are retained for retain_score, leaving every mesh.
  void remove_peer(const identity::PeerId& peer, Clock::time_point now);

  /// The score of `peer` at `now` (0 for an unknown peer).
  double score(const identity::PeerId& peer, Clock::time_point now) const;

  /// `peer` joined our mesh of `topic`.
  void graft(const identity::PeerId& peer, const std::string& topic, Clock::time_point now);
  /// `peer` left our mesh of `topic` (P3b applies a remaining deficit).
  void prune(const identity::PeerId& peer, const std::string& topic, Clock::time_point now);

  /// First arrival of message `id`, before its validation starts.
  void validate_message(const MessageId& id, Clock::time_point now);
  /// Message `id` of `topic` passed validation; `from` delivered it first.
  void deliver_message(const identity::PeerId& from, const MessageId& id,
                       const std::string& topic, Clock::time_point now);
  /// Validation rejected message `id`: P4 for `from` and every peer that sent it during validation.
  void reject_message(const identity::PeerId& from, const MessageId& id, const std::string& topic);
  /// Validation ignored message `id`: nobody is credited or penalized.
  void ignore_message(const MessageId& id);
  /// `from` sent a message that failed before validation (e.g. a forged signature): P4 for `from`.
  void reject_unvalidated(const identity::PeerId& from, const std::string& topic);
  /// `from` sent message `id` again.
  void duplicate_message(const identity::PeerId& from, const MessageId& id,
                         const std::string& topic, Clock::time_point now);

  /// Adds `count` to the P7 behaviour penalty of `peer`.
  void add_penalty(const identity::PeerId& peer, double count);
  /// Sets the application-specific score (P5) of `peer`.
  void set_app_score(const identity::PeerId& peer, double value);

  /// Applies decay for each decay_interval elapsed since the last one and
  /// forgets expired retained peers and delivery records.
  void refresh(Clock::time_point now);

 private:
  struct TopicStats {
    bool in_mesh = false;
    Clock::time_point graft_time;
    double first_deliveries = 0;
    double mesh_deliveries = 0;
    double mesh_failure_penalty = 0;
    double invalid_deliveries = 0;
  };
  struct PeerStats {
    bool connected = true;
    Clock::time_point expire;
    std::string ip;
    double behaviour_penalty = 0;
    double app_score = 0;
    std::map<std::string, TopicStats> topics;
  };
  struct DeliveryRecord {
    enum class Status { kPending, kValid, kInvalid, kIgnored };
    Status status = Status::kPending;
    Clock::time_point validated;
    std::set<identity::PeerId> peers;  // duplicates while pending
  };

  const TopicScoreParams* topic_params(const std::string& topic) const;
  TopicStats* stats(const identity::PeerId& peer, const std::string& topic);
  bool mesh_active(const TopicStats& ts, const TopicScoreParams& p, Clock::time_point now) const;
  void mark_first_delivery(const identity::PeerId& peer, const std::string& topic);
  void mark_mesh_delivery(const identity::PeerId& peer, const std::string& topic);
  void mark_invalid(const identity::PeerId& peer, const std::string& topic);
  void decay_once();

  ScoreParams params_;
  Clock::duration record_ttl_;
  std::map<identity::PeerId, PeerStats> peers_;
  std::map<std::string, std::set<identity::PeerId>> ips_;  // connected peers per IP
  std::unordered_map<MessageId, DeliveryRecord> records_;
  std::deque<std::pair<Clock::time_point, MessageId>> record_order_;
  std::optional<Clock::time_point> last_decay_;
};

}  // namespace prowl::pubsub
