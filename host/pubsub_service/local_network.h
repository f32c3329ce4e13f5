// Many pubsub hosts in one process: Swarms on a shared in-memory network
// (the full upgrade path: multistream, Noise, Yamux; no sockets), each with a
// PubsubService, all on one io_context. For tests and the pubsub benchmark.
#pragma once

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

#include "host/multiaddr/multiaddr.h"
#include "host/pubsub_service/pubsub_service.h"
#include "host/swarm/swarm.h"

namespace prowl::transport {
class MemoryNetwork;
}

namespace prowl::pubsub_service {

/// Not thread-safe: one thread drives it through run_until/run_for.
class LocalNetwork {
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
  boost::asio::io_context& io() { return io_; }
  /// Host `i`'s listen address, ending in /p2p/<id>.
  const multiaddr::Multiaddr& address(size_t i) const { return hosts_.at(i).address; }
  /// The in-memory network, for extra swarms joining it.
  const std::shared_ptr<transport::MemoryNetwork>& network() const { return network_; }

  /// Host `from` dials host `to` and waits for the connection. Throws
  /// std::runtime_error with the dial's failure, or after 10 s.
  void connect(size_t from, size_t to);

  /// Connects every host to `degree` distinct others chosen by `seed`, plus
  /// a ring, so the graph is connected.
  void connect_random(size_t degree, uint64_t seed);

  /// Runs the loop until `done()` holds (true) or `timeout` passes (false).
  bool run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout);

  /// Runs the loop for `time`.
  void run_for(std::chrono::milliseconds time);

 private:
  struct Host {
    std::unique_ptr<swarm::Swarm> swarm;
    multiaddr::Multiaddr address;
    std::unique_ptr<PubsubService> service;
  };

  boost::asio::io_context io_;
  std::shared_ptr<transport::MemoryNetwork> network_;
  std::vector<Host> hosts_;
};

}  // namespace prowl::pubsub_service
