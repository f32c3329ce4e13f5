// The gossipsub protocol ids and every tunable of the router, with the
// defaults of gossipsub v1.0/v1.1/v1.2 (libp2p/specs pubsub/gossipsub).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

#include "host/wire/pubsub/message_id.h"
#include "host/wire/pubsub/rpc_codec.h"
#include "host/wire/pubsub/score_params.h"

namespace prowl::pubsub {

/// The gossipsub versions a peer may speak.
enum class Protocol { kMeshsub10, kMeshsub11, kMeshsub12 };

/// "/meshsub/1.0.0", "/meshsub/1.1.0" or "/meshsub/1.2.0".
std::string_view protocol_id(Protocol protocol) noexcept;

/// The protocol named by a negotiated protocol id; nullopt for any other id.
std::optional<Protocol> parse_protocol(std::string_view id) noexcept;

/// The ids to offer in multistream-select, most preferred first.
inline constexpr std::string_view kProtocolIds[] = {"/meshsub/1.2.0", "/meshsub/1.1.0",
                                                    "/meshsub/1.0.0"};

/// Room an RPC keeps for framing beside one message's data: max_message_size
/// plus this must fit rpc_limits.max_rpc_bytes.
inline constexpr size_t kRpcFramingBytes = 4096;

/// Router settings. Durations are steady-clock intervals.
struct RouterConfig {
  // Mesh degrees.
  size_t d = 6;
  size_t d_lo = 5;
  size_t d_hi = 12;
  size_t d_score = 4;   ///< peers kept by score when pruning an oversubscribed mesh
  size_t d_out = 2;     ///< outbound peers kept in every mesh
  size_t d_lazy = 6;    ///< minimum gossip targets
  double gossip_factor = 0.25;

  // Timing. The driver calls heartbeat() every heartbeat_interval.
  std::chrono::milliseconds heartbeat_interval{1000};
  std::chrono::milliseconds fanout_ttl{60'000};
  std::chrono::milliseconds seen_ttl{120'000};
  std::chrono::milliseconds prune_backoff{60'000};
  std::chrono::milliseconds unsubscribe_backoff{10'000};
  std::chrono::milliseconds max_backoff{std::chrono::hours(24)};  ///< bound of a peer's PRUNE backoff
  std::chrono::milliseconds graft_flood_threshold{10'000};
  std::chrono::milliseconds iwant_followup_time{3000};
  std::chrono::milliseconds validation_timeout{10'000};  ///< unreported verdicts become "ignore"

  // Message cache and gossip.
  size_t mcache_len = 5;
  size_t mcache_gossip = 3;
  size_t max_ihave_length = 5000;     ///< message ids asked from one peer per heartbeat
  size_t max_ihave_messages = 10;     ///< IHAVE RPCs accepted from one peer per heartbeat
  size_t gossip_retransmission = 3;   ///< IWANT answers per message and peer

  // Peer exchange and grafting.
  bool do_px = true;
  size_t prune_peers = 16;
  size_t opportunistic_graft_ticks = 60;
  size_t opportunistic_graft_peers = 2;

  // Publishing.
  bool flood_publish = true;

  // IDONTWANT (v1.2).
  size_t idontwant_message_threshold = 1024;  ///< smallest message announced with IDONTWANT
  size_t max_idontwant_ids = 1000;            ///< ids accepted from one peer per heartbeat
  size_t idontwant_ttl_heartbeats = 3;

  // Signature checks. Offloaded, each new message's StrictSign check becomes a
  // CheckSignature action the driver may run on other threads; once
  // max_pending_signature_checks are out, further checks run inline.
  bool offload_signature_checks = false;
  size_t max_pending_signature_checks = 4096;

  // Resource limits.
  size_t max_message_size = 1000 * 1024;  ///< data bytes of one message
  size_t max_topics_per_peer = 1000;
  size_t max_pending_validations = 4096;
  RpcLimits rpc_limits;

  ScoreParams score;
  ScoreThresholds thresholds;

  /// Message id function; empty means default_message_id (from + seqno).
  std::function<MessageId(const pb::Message&)> message_id;
  /// Time source; empty means Clock::now.
  std::function<Clock::time_point()> clock;
  /// Seed of the router's random choices; nullopt draws one from std::random_device.
  std::optional<uint64_t> seed;
  /// First sequence number; nullopt uses nanoseconds since the Unix epoch.
  std::optional<uint64_t> first_seqno;

  /// Throws std::invalid_argument naming the first inconsistent setting.
  void validate() const;
};

}  // namespace prowl::pubsub
