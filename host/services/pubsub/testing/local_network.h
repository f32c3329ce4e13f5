// Many pubsub hosts in one process: Swarms on a shared in-memory network
// (the full upgrade path: multistream, Noise, Yamux; no sockets), each with a
// PubsubService, all on one io_context. For tests and the pubsub benchmark.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "host/base/multiaddr/multiaddr.h"
#include "host/services/pubsub/pubsub_service.h"
#include "host/swarm/swarm.h"
#include "host/testing/memory_swarms.h"

namespace prowl::pubsub_service {

/// The loop, its helpers (run, run_until, run_for), io() and network() come
/// from MemorySwarms. Not thread-safe: one thread drives it.
class LocalNetwork : public test_support::MemorySwarms {
 public:
  /// Starts `hosts` listening hosts with `config`. Throws std::runtime_error
  /// when a host cannot listen.
  LocalNetwork(size_t hosts, const PubsubServiceConfig& config);
  /// Destroys the services, then shuts the swarms down.
  ~LocalNetwork();
  LocalNetwork(const LocalNetwork&) = delete;
  LocalNetwork& operator=(const LocalNetwork&) = delete;

  size_t size() const { return hosts_.size(); }
  swarm::Swarm& swarm(size_t i) { return *hosts_.at(i).swarm; }
  PubsubService& service(size_t i) { return *hosts_.at(i).service; }
  /// Host `i`'s listen address, ending in /p2p/<id>.
  const multiaddr::Multiaddr& address(size_t i) const { return hosts_.at(i).address; }

  /// Host `from` dials host `to` and waits for the connection. Throws
  /// std::runtime_error with the dial's failure, or after 10 s.
  void connect(size_t from, size_t to);

  /// Connects every host to `degree` distinct others chosen by `seed`, plus
  /// a ring, so the graph is connected.
  void connect_random(size_t degree, uint64_t seed);

 private:
  struct Host {
    std::unique_ptr<swarm::Swarm> swarm;
    multiaddr::Multiaddr address;
    std::unique_ptr<PubsubService> service;
  };

  std::vector<Host> hosts_;
};

}  // namespace prowl::pubsub_service
