#include "host/wire/pubsub/router_config.h"

#include <stdexcept>
#include <string>

namespace prowl::pubsub {

std::string_view protocol_id(Protocol protocol) noexcept {
  switch (protocol) {
    case Protocol::kMeshsub10:
      return kProtocolIds[2];
    case Protocol::kMeshsub11:
      return kProtocolIds[1];
    case Protocol::kMeshsub12:
      return kProtocolIds[0];
  }
  return {};
}

std::optional<Protocol> parse_protocol(std::string_view id) noexcept {
  for (Protocol p : {Protocol::kMeshsub10, Protocol::kMeshsub11, Protocol::kMeshsub12})
    if (protocol_id(p) == id) return p;
  return std::nullopt;
}

void RouterConfig::validate() const {
  auto require = [](bool ok, const char* what) {
    if (!ok) throw std::invalid_argument(std::string("gossipsub config: ") + what);
  };
  require(d_lo <= d && d <= d_hi, "need d_lo <= d <= d_hi");
  require(d_lo > 0, "d_lo must be positive");
  require(d_score <= d, "d_score must not exceed d");
  require(d_out < d_lo && d_out <= d / 2, "d_out must be below d_lo and at most d/2");
  require(gossip_factor >= 0 && gossip_factor <= 1, "gossip_factor must be within [0, 1]");
  require(heartbeat_interval.count() > 0, "heartbeat_interval must be positive");
  require(seen_ttl.count() > 0, "seen_ttl must be positive");
  require(mcache_gossip > 0 && mcache_gossip <= mcache_len,
          "need 0 < mcache_gossip <= mcache_len");
  require(opportunistic_graft_ticks > 0, "opportunistic_graft_ticks must be positive");
  require(max_message_size + kRpcFramingBytes <= rpc_limits.max_rpc_bytes,
          "max_message_size plus 4 KiB of framing must fit rpc_limits.max_rpc_bytes");
  require(max_ihave_length <= rpc_limits.max_iwant_ids,
          "max_ihave_length must not exceed rpc_limits.max_iwant_ids");
  require(prune_peers <= rpc_limits.max_px_peers, "prune_peers must not exceed max_px_peers");
  const ScoreThresholds& t = thresholds;
  require(t.graylist <= t.publish && t.publish <= t.gossip && t.gossip <= 0,
          "thresholds need graylist <= publish <= gossip <= 0");
  require(t.accept_px >= 0 && t.opportunistic_graft >= 0,
          "accept_px and opportunistic_graft thresholds must not be negative");
  require(score.decay_interval.count() > 0, "score.decay_interval must be positive");
  require(score.ip_colocation_factor_weight <= 0 && score.behaviour_penalty_weight <= 0,
          "P6 and P7 weights must not be positive");
}

}  // namespace prowl::pubsub
