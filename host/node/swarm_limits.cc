#include "host/node/swarm_limits.h"

#include <string>
#include <string_view>

#include "host/node/config_values.h"

namespace prowl::node {
namespace {

std::string key(std::string_view name) { return "network.limits." + std::string(name); }

}  // namespace

swarm::SwarmConfig swarm_limits(const config::Config& config) {
  swarm::SwarmConfig limits;
  limits.max_connections = config_count(config, key("max_connections"));
  limits.max_pending_handshakes = config_count(config, key("max_pending_handshakes"));
  limits.max_pending_handshakes_per_address =
      config_count(config, key("max_pending_handshakes_per_address"));
  limits.max_streams_per_connection = config_count(config, key("max_streams_per_connection"));
  limits.max_inbound_streams_per_protocol = config_count(config, key("max_inbound_streams_per_protocol"));
  limits.max_negotiating_streams_per_connection =
      config_count(config, key("max_negotiating_streams_per_connection"));
  limits.max_queued_control_bytes = config_count(config, key("max_queued_control_bytes"));
  limits.handshake_timeout = config_ms(config, key("handshake_timeout_ms"));
  limits.negotiation_timeout = config_ms(config, key("negotiation_timeout_ms"));
  limits.idle_timeout = config_ms(config, key("idle_timeout_ms"));
  limits.dial_backoff_base = config_ms(config, key("dial_backoff_base_ms"));
  limits.dial_backoff_max = config_ms(config, key("dial_backoff_max_ms"));
  limits.max_stream_window = static_cast<uint32_t>(config_count(config, key("max_stream_window_bytes")));
  limits.max_connection_window = config_count(config, key("max_connection_window_bytes"));
  limits.max_ack_backlog = static_cast<uint32_t>(config_count(config, key("max_ack_backlog")));
  require_at_most(key("dial_backoff_base_ms"), limits.dial_backoff_base.count(), key("dial_backoff_max_ms"),
                  limits.dial_backoff_max.count());
  return limits;
}

}  // namespace prowl::node
