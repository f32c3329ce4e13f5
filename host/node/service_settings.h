// The protocol services' tunables as the configuration sets them: the node's
// options (network.limits.*, with the identify message limit), gossipsub
// (pubsub.*) and request-response (rr.*); docs/configuration.md lists the
// keys. (The kad message limit is read with the other DHT settings, in
// dht::run_dht_settings.)
#pragma once

#include "host/base/config/config.h"
#include "host/node/node_config.h"
#include "host/services/pubsub/pubsub_service.h"
#include "host/services/rr/request_response.h"

namespace prowl::node {

/// A node's options from `config`: the swarm's limits (swarm_limits) and
/// network.limits.max_identify_bytes; serve_perf and identify_on_connect
/// stay off. Throws StatusError (kInvalidInput) as swarm_limits.
NetworkOptions network_options(const config::Config& config);

/// The gossipsub service settings of the pubsub.* keys (each already within
/// its schema bounds); the other router tunables keep their defaults.
/// pubsub.signature_check_threads -1 means default_signature_check_threads().
/// Throws StatusError (kInvalidInput) naming both keys when settings contradict each
/// other (d_lo <= d <= d_hi, d_score <= d, d_out < d_lo and d_out <= d / 2,
/// max_message_bytes + 4096 <= max_rpc_bytes, max_ihave_length <=
/// max_iwant_ids).
pubsub_service::PubsubServiceConfig pubsub_settings(const config::Config& config);

/// Signature check threads when pubsub.signature_check_threads is -1 (auto):
/// one per core (they share the cores with the event loop, which is idle
/// while it waits for them), none on a single core.
size_t default_signature_check_threads();

/// The request-response settings of the rr.* keys. Throws StatusError (kInvalidInput)
/// naming both keys when rr.default_timeout_ms is above rr.max_timeout_ms.
rr::RequestResponseConfig rr_settings(const config::Config& config);

}  // namespace prowl::node
