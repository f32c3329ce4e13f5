// What a Node is built from (NodeConfig), and the one place that builds it
// from the configuration and the command line (from_config, client_config).
// Everything is checked here, before a node starts.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "host/base/config/config.h"
#include "host/base/identity/key_pair.h"
#include "host/base/multiaddr/multiaddr.h"
#include "host/services/compute/executor.h"
#include "host/services/compute/worker_service.h"
#include "host/services/dht/dht_service.h"
#include "host/services/howl/howl_service.h"
#include "host/services/protocols/identify/identify_service.h"
#include "host/services/pubsub/pubsub_service.h"
#include "host/services/rr/request_response.h"
#include "host/swarm/swarm.h"
#include "host/wire/job/dispatcher.h"
#include "host/wire/reputation/ledger.h"

namespace prowl::transport {
class MemoryNetwork;
}

namespace prowl::node {

/// How a node takes part in the network.
enum class NodeMode {
  kOffline,  ///< no network at all: plugins run without the network services
  kListen,   ///< listens on NodeConfig::listen and runs every enabled service
  kClient,   ///< no listeners (NodeConfig::listen is ignored), dials only: the one-shot commands
};

/// The swarm and the protocols every networked node serves (ping, identify
/// with push, perf on request).
struct NetworkOptions {
  swarm::SwarmConfig swarm;                                  ///< connection limits and timeouts
  size_t max_identify_bytes = protocols::kMaxIdentifyBytes;  ///< a peer's larger identify message is refused
  bool serve_perf = false;           ///< answer /perf/1.0.0 (off by default: it moves any amount asked)
  bool identify_on_connect = false;  ///< ask every new peer for its identify record
  /// Called with each record identify_on_connect learned.
  std::function<void(const identity::PeerId&, const protocols::IdentifyRecord&)> on_identified;
};

/// The DHT and the discovery that feeds it.
struct DhtSettings {
  bool enabled = true;
  /// Protocol, message limit, server or client mode, data_dir (empty: in
  /// memory only), query timeouts.
  dht::DhtConfig service;
  /// Kept connected (with backoff); each (re)connection rejoins the DHT.
  std::vector<multiaddr::Multiaddr> bootstrap;
  /// Discover peers on the link. Never runs on the memory transport, nor
  /// when every listen address is loopback (no peer there could dial us).
  bool mdns = true;
  /// The interface mDNS runs on. Empty: the first multicast-capable IPv4
  /// interface, and mDNS only warns when it cannot start; named: its
  /// failure fails start().
  std::string mdns_interface;
};

/// Gossipsub.
struct PubsubSettings {
  bool enabled = true;
  pubsub_service::PubsubServiceConfig service;  ///< router tunables, queues, signature threads
  std::vector<std::string> topics;              ///< subscribed when the node starts
  pubsub_service::MessageHandler on_message;    ///< gets every message of `topics` (may be empty)
};

/// Swarm compute: the local executor, serving tasks to coordinators, and
/// the reputation this host keeps of its workers.
struct ComputeSettings {
  compute::ExecutorOptions executor;  ///< compute.threads, compute.max_queued, compute.max_result_bytes
  bool serve = true;                  ///< compute.serve: run other hosts' tasks (networked modes)
  compute::WorkerSettings worker;     ///< compute.slots, the task protocol's limits
  job::Settings job;                  ///< a job's defaults: compute.replicas, quorum, max_replicas, adaptive, task_timeout_ms
  reputation::Settings reputation;    ///< reputation.*
  /// Holds reputation.sqlite (and the job journal of coordinators); empty:
  /// reputation is kept in memory only.
  std::filesystem::path data_dir;
};

/// Everything a Node is built from. Copyable.
struct NodeConfig {
  explicit NodeConfig(identity::KeyPair identity) : key(std::move(identity)) {}

  identity::KeyPair key;  ///< the node's identity
  NodeMode mode = NodeMode::kListen;
  std::vector<multiaddr::Multiaddr> listen;  ///< where a kListen node listens
  /// When set, the only transport is the in-memory one on this network
  /// (tests, simulations); else TCP and WebSocket.
  std::shared_ptr<transport::MemoryNetwork> memory_network;
  NetworkOptions network;
  DhtSettings dht;
  PubsubSettings pubsub;
  rr::RequestResponseConfig rr;  ///< request-response of the plugins
  howl::HowlConfig howl;         ///< this node's pack and territory (howls of the plugins)
  ComputeSettings compute;
};

/// The compute.* and reputation.* settings of `config`, with the stores in
/// `data_dir`. Throws StatusError (kInvalidInput) naming contradicting keys
/// (compute.quorum above compute.replicas, ...).
ComputeSettings compute_settings(const config::Config& config, const std::filesystem::path& data_dir);

/// The flags of `prowl run` that add to or override the configuration.
struct RunFlags {
  std::vector<std::string> listen;     ///< --listen MULTIADDR (repeatable); else network.listen
  bool perf = false;                   ///< --perf: serve /perf/1.0.0
  std::vector<std::string> subscribe;  ///< --subscribe TOPIC (repeatable)
  std::vector<std::string> bootstrap;  ///< --bootstrap MULTIADDR (repeatable), added to network.bootstrap
  bool no_mdns = false;                ///< --no-mdns
  std::string mdns_interface;          ///< --mdns-interface NAME (else network.mdns_interface)
  std::string kad_protocol;            ///< --kad-protocol ID (else network.kad_protocol)
  bool kad_client = false;             ///< --kad-client: query the DHT without serving it

  /// Whether a flag that needs the network (DHT or discovery) was given.
  bool dht_flags_given() const noexcept {
    return !bootstrap.empty() || no_mdns || !mdns_interface.empty() || !kad_protocol.empty() || kad_client;
  }
};

/// The node of `prowl run`: `config` (already loaded and within its schema)
/// with `flags` on top, identity `key`, the DHT's kad.sqlite in `data_dir`.
/// Without a listen address (flag or network.listen) the node is kOffline.
/// Checks every setting before anything starts and throws StatusError
/// (kInvalidInput) naming the key or flag: a listen or bootstrap address
/// ("listen address: ...", "--bootstrap: ...", "network.bootstrap: ..."),
/// the kad protocol id, howl.pack and howl.territory, contradicting
/// network.limits.*, pubsub.* and rr.* settings, and DHT flags or
/// --subscribe without a listen address ("... need the network: give
/// --listen MULTIADDR (or network.listen)"). Identify runs on every new
/// connection.
NodeConfig from_config(const config::Config& config, const RunFlags& flags, identity::KeyPair key,
                       const std::filesystem::path& data_dir);

/// A kClient node for one-shot commands with identity `key` and the
/// configured limits, gossipsub settings, kad protocol and message limit;
/// the DHT (client mode, in memory, no discovery) and gossipsub are off:
/// commands turn on what they use. Throws StatusError as from_config.
NodeConfig client_config(const config::Config& config, identity::KeyPair key);

/// Why `protocol` is no kad protocol id (it must start with '/' and be a
/// valid multistream id), naming it; empty when it is one.
std::string kad_protocol_error(const std::string& protocol);

/// Throws StatusError (kInvalidInput) "<source> <why>", naming `source` (a
/// flag or config key), unless `protocol` is a kad protocol id.
void check_kad_protocol(const std::string& protocol, const std::string& source);

/// The agent version prowl announces: "prowl/<version>".
std::string agent_version();

}  // namespace prowl::node
