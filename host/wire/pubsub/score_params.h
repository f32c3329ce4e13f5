// Parameters of gossipsub v1.1 peer scoring (gossipsub-v1.1.md "Peer
// Scoring"): the weights of P1..P7, their decay, and the score thresholds.
// Decay factors are applied once per decay_interval; a counter that decays
// below decay_to_zero becomes 0.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>

namespace prowl::pubsub {

/// Per-topic parameters (P1..P4). Weights of P3, P3b and P4 must not be positive.
struct TopicScoreParams {
  double topic_weight = 1.0;

  // P1: time in mesh, in quanta, capped.
  double time_in_mesh_weight = 0.01;
  std::chrono::milliseconds time_in_mesh_quantum{1000};
  double time_in_mesh_cap = 100;

  // P2: first deliveries of messages, capped.
  double first_message_deliveries_weight = 1.0;
  double first_message_deliveries_decay = 0.9;
  double first_message_deliveries_cap = 10;

  // P3: squared deficit of mesh deliveries below the threshold, counted once
  // the peer has been in the mesh for the activation time. Off by default: the
  // threshold depends on the topic's message rate.
  double mesh_message_deliveries_weight = 0.0;
  double mesh_message_deliveries_decay = 0.9;
  double mesh_message_deliveries_cap = 100;
  double mesh_message_deliveries_threshold = 1;
  std::chrono::milliseconds mesh_message_deliveries_window{10};
  std::chrono::milliseconds mesh_message_deliveries_activation{5000};

  // P3b: squared deficit kept when a peer leaves the mesh.
  double mesh_failure_penalty_weight = 0.0;
  double mesh_failure_penalty_decay = 0.9;

  // P4: squared count of invalid messages. A graylisted peer's RPCs are
  // dropped uncounted, so P4 stops growing at the graylist threshold; a weight
  // of -1 then lets decay lift a spammer back over it about a second after it
  // stops (or between two spam bursts). At -10, three invalid messages
  // outweigh the positive budget (P1 cap 1 + P2 cap 10) past -80, and a
  // spammer stays graylisted for at least ~30 s after its last one.
  double invalid_message_deliveries_weight = -10.0;
  double invalid_message_deliveries_decay = 0.99;
};

/// Whole-peer parameters (P5..P7), topic parameters and bookkeeping.
struct ScoreParams {
  /// Topics with their own parameters.
  std::map<std::string, TopicScoreParams> topics;
  /// Parameters of topics not in `topics`; nullopt leaves such topics unscored.
  std::optional<TopicScoreParams> default_topic = TopicScoreParams{};
  /// Upper bound of the summed topic scores; 0 means no bound.
  double topic_score_cap = 0;

  double app_specific_weight = 1.0;  ///< P5

  double ip_colocation_factor_weight = -1.0;    ///< P6 (<= 0)
  double ip_colocation_factor_threshold = 10;   ///< peers per IP before P6 counts
  std::set<std::string> ip_colocation_factor_whitelist{"127.0.0.1", "::1"};

  double behaviour_penalty_weight = -1.0;  ///< P7 (<= 0)
  double behaviour_penalty_threshold = 0;
  double behaviour_penalty_decay = 0.99;

  std::chrono::milliseconds decay_interval{1000};
  double decay_to_zero = 0.01;
  /// How long a disconnected peer's counters are kept (so reconnecting does not reset them).
  std::chrono::milliseconds retain_score{std::chrono::minutes(10)};
};

/// Score thresholds (all gossipsub v1.1). REQUIRES: graylist <= publish <=
/// gossip <= 0 <= accept_px, 0 <= opportunistic_graft.
struct ScoreThresholds {
  double gossip = -10;              ///< below: no gossip to or from the peer
  double publish = -50;             ///< below: own messages are not flood-published to it
  double graylist = -80;            ///< below: the peer's RPCs are ignored
  double accept_px = 10;            ///< at least: PX from its PRUNEs is followed
  double opportunistic_graft = 1;   ///< mesh median below: graft better peers
};

}  // namespace prowl::pubsub
