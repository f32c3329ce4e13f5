// The swarm's connection limits and timeouts as the configuration sets them
// (network.limits.*; docs/configuration.md lists the keys).
#pragma once

#include "host/base/config/config.h"
#include "host/swarm/swarm.h"

namespace prowl::node {

/// The SwarmConfig the network.limits.* settings of `config` describe (each
/// already within its schema bounds). Throws StatusError (kInvalidInput) when the settings
/// contradict each other: dial_backoff_base_ms above dial_backoff_max_ms.
swarm::SwarmConfig swarm_limits(const config::Config& config);

}  // namespace prowl::node
