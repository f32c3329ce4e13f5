#include "host/net_cli/swarm_limits.h"

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "host/cli/context.h"

namespace prowl::net_cli {
namespace {

constexpr std::string_view kPrefix = "network.limits.";

size_t count(const config::Config& config, std::string_view key) {
  return static_cast<size_t>(config.get_integer(std::string(kPrefix) + std::string(key)));
}

std::chrono::milliseconds milliseconds(const config::Config& config, std::string_view key) {
  return std::chrono::milliseconds(config.get_integer(std::string(kPrefix) + std::string(key)));
}

}  // namespace

swarm::SwarmConfig swarm_limits(const config::Config& config) {
  swarm::SwarmConfig limits;
  limits.max_connections = count(config, "max_connections");
  limits.max_pending_handshakes = count(config, "max_pending_handshakes");
  limits.max_streams_per_connection = count(config, "max_streams_per_connection");
  limits.max_inbound_streams_per_protocol = count(config, "max_inbound_streams_per_protocol");
  limits.handshake_timeout = milliseconds(config, "handshake_timeout_ms");
  limits.negotiation_timeout = milliseconds(config, "negotiation_timeout_ms");
  limits.idle_timeout = milliseconds(config, "idle_timeout_ms");
  limits.dial_backoff_base = milliseconds(config, "dial_backoff_base_ms");
  limits.dial_backoff_max = milliseconds(config, "dial_backoff_max_ms");
  limits.max_stream_window = static_cast<uint32_t>(count(config, "max_stream_window_bytes"));
  limits.max_connection_window = count(config, "max_connection_window_bytes");
  limits.max_ack_backlog = static_cast<uint32_t>(count(config, "max_ack_backlog"));
  if (limits.dial_backoff_base > limits.dial_backoff_max) {
    throw cli::CliError("network.limits.dial_backoff_base_ms (" + std::to_string(limits.dial_backoff_base.count()) +
                        ") is above network.limits.dial_backoff_max_ms (" +
                        std::to_string(limits.dial_backoff_max.count()) + ")");
  }
  return limits;
}

}  // namespace prowl::net_cli
