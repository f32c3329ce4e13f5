// prowl::node::Node, the composition root: one libp2p node built from a
// NodeConfig. It owns the swarm and its transports, identify and the peer
// store, the DHT with its discovery (bootstrap peers, mDNS), gossipsub, and
// (given a plugin registry) the plugin services: request-response, howls and
// the bridges, bound to the registry, and the role and hunt plugins.
//
// Lifetime: construct, co_await start() on the executor, drive the executor
// (io_context::run), co_await stop(); destroy it once the executor has run
// out of work. stop() tears the services down in a fixed order (see there),
// independent of how the members are declared, and joins every coroutine
// the node spawned. docs/architecture.md ("The node") draws it.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <memory>
#include <vector>

#include "host/base/multiaddr/multiaddr.h"
#include "host/node/node_config.h"
#include "host/node/task_group.h"
#include "host/plugin_host/loader/registry.h"
#include "host/services/compute/executor.h"
#include "host/services/compute/hunt.h"
#include "host/services/compute/worker_service.h"
#include "host/services/dht/dht_service.h"
#include "host/services/protocols/identify/identify_service.h"
#include "host/services/pubsub/pubsub_service.h"
#include "host/swarm/swarm.h"
#include "host/wire/identify/peer_store.h"
#include "host/wire/reputation/store.h"

namespace prowl::discovery {
class Bootstrapper;
class MdnsDialer;
}  // namespace prowl::discovery
namespace prowl::mdns {
class MdnsService;
}
namespace prowl::plugin_run {
class RunPluginServices;
}

namespace prowl::node {

/// Not thread-safe: every call runs on `executor`, the one the node was
/// built with.
class Node {
 public:
  /// Builds the swarm with its transports and identify (networked modes),
  /// serving ping, identify with push, and perf when asked; nothing starts
  /// yet. `registry`, if given, is not owned and must outlive the node.
  Node(boost::asio::any_io_executor executor, NodeConfig config, plugins::Registry* registry = nullptr);
  /// REQUIRES: stop() finished, or start() never ran.
  ~Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  /// Logs the identity (and the plugins loaded), then: listens on every
  /// address (kListen), starts gossipsub with its topics (peer exchange
  /// reads the peer store's signed records), the DHT with its bootstrap
  /// peers and mDNS, binds the plugin services to the registry (networked
  /// modes), starts the compute executor with the registry's compute hunts
  /// and reputation (serving tasks when networked and compute.serve) and
  /// starts the role and hunt plugins. Returns the bound
  /// addresses, each ending in /p2p/<id> (none unless kListen). Throws
  /// std::exception naming what failed (an address, the DHT's data file, a
  /// named mDNS interface) after stopping what had started. Call once.
  boost::asio::awaitable<std::vector<multiaddr::Multiaddr>> start();

  /// Stops, in this order: the worker service, the role and hunt plugins
  /// (last started, first stopped), the compute executor (waiting for task
  /// code to return), the plugin services (unbound from the registry), mDNS and the
  /// bootstrap peers, the DHT, gossipsub, then cancels the node's own
  /// coroutines, shuts the swarm down (connections closed, listeners gone)
  /// and waits until every coroutine the node spawned has ended. Fine after
  /// a failed start() or none; a later call returns at once.
  boost::asio::awaitable<void> stop();

  /// REQUIRES: not kOffline. Valid until the node is destroyed.
  swarm::Swarm& swarm() noexcept { return *swarm_; }
  protocols::IdentifyService& identify() noexcept { return *identify_; }
  protocols::PeerStore& peers() noexcept { return peers_; }
  /// The DHT between start() and stop(); null when it is off.
  dht::DhtService* dht() noexcept { return dht_.get(); }
  /// Gossipsub between start() and stop(); null when it is off.
  pubsub_service::PubsubService* pubsub() noexcept { return pubsub_.get(); }
  /// The compute executor between start() and stop().
  compute::Executor* compute() noexcept { return compute_.get(); }
  /// The compute hunts of the registry's plugins (filled by start()).
  const compute::HuntCatalog& hunts() const noexcept { return hunts_; }
  /// What this host measured of its workers, between start() and stop().
  reputation::Book* reputation() noexcept { return reputation_.get(); }

  const identity::PeerId& peer_id() const noexcept { return peer_id_; }
  const NodeConfig& config() const noexcept { return config_; }
  /// Coroutines the node spawned that have not ended; 0 once stop() returned.
  size_t live_tasks() const noexcept { return tasks_.live(); }

 private:
  bool networked() const noexcept { return config_.mode != NodeMode::kOffline; }
  void start_pubsub();
  void start_dht();
  // Creates mdns_ and mdns_dialer_ (not started) when mDNS should run.
  void create_mdns();
  // Binds the plugin services to the registry (given one and gossipsub).
  void bind_plugins();
  void start_agents();
  void stop_agents();
  // The executor, the hunt catalog, reputation and (networked, compute.serve) the worker service.
  void start_compute();
  // Tells the DHT about `addresses` of `peer` and rejoins it in the background.
  void rejoin_dht(const identity::PeerId& peer, const std::vector<multiaddr::Multiaddr>& addresses);

  boost::asio::any_io_executor executor_;
  NodeConfig config_;
  plugins::Registry* registry_;
  identity::PeerId peer_id_;
  TaskGroup tasks_;
  bool stopped_ = false;

  protocols::PeerStore peers_;
  std::unique_ptr<swarm::Swarm> swarm_;
  std::unique_ptr<protocols::IdentifyService> identify_;
  std::unique_ptr<pubsub_service::PubsubService> pubsub_;
  std::unique_ptr<dht::DhtService> dht_;
  std::shared_ptr<discovery::Bootstrapper> bootstrapper_;
  std::shared_ptr<discovery::MdnsDialer> mdns_dialer_;
  std::shared_ptr<mdns::MdnsService> mdns_;
  std::unique_ptr<plugin_run::RunPluginServices> plugin_services_;
  std::unique_ptr<compute::Executor> compute_;
  compute::HuntCatalog hunts_;
  std::unique_ptr<reputation::Book> reputation_;
  std::unique_ptr<compute::WorkerService> worker_;
  std::vector<const plugins::Plugin*> agents_;  // started role and hunt plugins, in start order
};

}  // namespace prowl::node
