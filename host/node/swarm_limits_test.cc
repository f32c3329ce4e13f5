#include "host/node/swarm_limits.h"

#include <gtest/gtest.h>

#include "host/base/status/status.h"

namespace prowl::node {
namespace {

config::Config parse(std::string_view json) {
  std::string error;
  auto config = config::Config::parse(json, "prowl.json", &error);
  EXPECT_TRUE(config.has_value()) << error;
  return config ? std::move(*config) : config::Config();
}

TEST(SwarmLimits, DefaultsAreTheSwarmDefaults) {
  const swarm::SwarmConfig limits = swarm_limits(config::Config());
  const swarm::SwarmConfig defaults;
  EXPECT_EQ(limits.max_connections, defaults.max_connections);
  EXPECT_EQ(limits.max_pending_handshakes, defaults.max_pending_handshakes);
  EXPECT_EQ(limits.max_streams_per_connection, defaults.max_streams_per_connection);
  EXPECT_EQ(limits.max_inbound_streams_per_protocol, defaults.max_inbound_streams_per_protocol);
  EXPECT_EQ(limits.handshake_timeout, defaults.handshake_timeout);
  EXPECT_EQ(limits.negotiation_timeout, defaults.negotiation_timeout);
  EXPECT_EQ(limits.idle_timeout, defaults.idle_timeout);
  EXPECT_EQ(limits.dial_backoff_base, defaults.dial_backoff_base);
  EXPECT_EQ(limits.dial_backoff_max, defaults.dial_backoff_max);
  EXPECT_EQ(limits.max_stream_window, defaults.max_stream_window);
  EXPECT_EQ(limits.max_connection_window, defaults.max_connection_window);
  EXPECT_EQ(limits.max_ack_backlog, defaults.max_ack_backlog);
  EXPECT_EQ(limits.max_pending_handshakes_per_address, defaults.max_pending_handshakes_per_address);
  EXPECT_EQ(limits.max_negotiating_streams_per_connection, defaults.max_negotiating_streams_per_connection);
  EXPECT_EQ(limits.max_queued_control_bytes, defaults.max_queued_control_bytes);
}

TEST(SwarmLimits, EveryKeyReachesItsField) {
  const swarm::SwarmConfig limits = swarm_limits(parse(R"({"network": {"limits": {
    "max_connections": 3, "max_pending_handshakes": 4, "max_streams_per_connection": 5,
    "max_inbound_streams_per_protocol": 6, "handshake_timeout_ms": 7, "negotiation_timeout_ms": 8,
    "idle_timeout_ms": 9, "dial_backoff_base_ms": 10, "dial_backoff_max_ms": 11,
    "max_stream_window_bytes": 1048576, "max_connection_window_bytes": 8589934592, "max_ack_backlog": 12,
    "max_pending_handshakes_per_address": 13, "max_negotiating_streams_per_connection": 14,
    "max_queued_control_bytes": 65536}}})"));
  EXPECT_EQ(limits.max_connections, 3u);
  EXPECT_EQ(limits.max_pending_handshakes, 4u);
  EXPECT_EQ(limits.max_streams_per_connection, 5u);
  EXPECT_EQ(limits.max_inbound_streams_per_protocol, 6u);
  EXPECT_EQ(limits.handshake_timeout, std::chrono::milliseconds(7));
  EXPECT_EQ(limits.negotiation_timeout, std::chrono::milliseconds(8));
  EXPECT_EQ(limits.idle_timeout, std::chrono::milliseconds(9));
  EXPECT_EQ(limits.dial_backoff_base, std::chrono::milliseconds(10));
  EXPECT_EQ(limits.dial_backoff_max, std::chrono::milliseconds(11));
  EXPECT_EQ(limits.max_stream_window, 1048576u);
  EXPECT_EQ(limits.max_connection_window, 8589934592u);
  EXPECT_EQ(limits.max_ack_backlog, 12u);
  EXPECT_EQ(limits.max_pending_handshakes_per_address, 13u);
  EXPECT_EQ(limits.max_negotiating_streams_per_connection, 14u);
  EXPECT_EQ(limits.max_queued_control_bytes, 65536u);
}

TEST(SwarmLimits, RefusesABackoffBaseAboveItsCap) {
  const config::Config config =
      parse(R"({"network": {"limits": {"dial_backoff_base_ms": 5000, "dial_backoff_max_ms": 4000}}})");
  try {
    swarm_limits(config);
    FAIL() << "expected a StatusError";
  } catch (const StatusError& e) {
    EXPECT_STREQ(e.what(),
                 "network.limits.dial_backoff_base_ms (5000) is above network.limits.dial_backoff_max_ms (4000)");
  }
  EXPECT_EQ(swarm_limits(parse(R"({"network": {"limits": {"dial_backoff_max_ms": 1000}}})")).dial_backoff_max,
            std::chrono::milliseconds(1000));
}

}  // namespace
}  // namespace prowl::node
