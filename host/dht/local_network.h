// Many DHT hosts in one process: Swarms on a shared in-memory network (the
// full upgrade path: multistream, Noise, Yamux; no sockets), each serving
// identify and running a DhtService, all on one io_context. For tests and
// the DHT benchmark.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <vector>

#include "host/dht/dht_service.h"
#include "host/identity/key_pair.h"
#include "host/multiaddr/multiaddr.h"
#include "host/protocols/identify/identify_service.h"
#include "host/protocols/identify/peer_store.h"
#include "host/swarm/swarm.h"

namespace prowl::transport {
class MemoryNetwork;
}

namespace prowl::dht {

/// Not thread-safe: one thread drives it through run/run_until/run_for.
class LocalNetwork {
 public:
  LocalNetwork();
  /// Stops every service, then shuts the swarms down.
  ~LocalNetwork();
  LocalNetwork(const LocalNetwork&) = delete;
  LocalNetwork& operator=(const LocalNetwork&) = delete;

  /// Starts a listening host with `key`, `config` and `swarm_config` (its
  /// DhtService started); returns its index. Throws std::runtime_error when
  /// it cannot listen.
  size_t add_host(const identity::KeyPair& key, const DhtConfig& config,
                  const swarm::SwarmConfig& swarm_config = {});
  /// Stops host `i`'s DHT and shuts its swarm down (its address then
  /// refuses dials); the index stays taken.
  void remove_host(size_t i);
  /// Whether host `i` is running.
  bool alive(size_t i) const { return hosts_.at(i).dht != nullptr; }

  size_t size() const { return hosts_.size(); }
  swarm::Swarm& swarm(size_t i) { return *hosts_.at(i).swarm; }
  DhtService& dht(size_t i) { return *hosts_.at(i).dht; }
  /// Host `i`'s listen address, ending in /p2p/<id>.
  const multiaddr::Multiaddr& address(size_t i) const { return hosts_.at(i).address; }
  boost::asio::io_context& io() { return io_; }

  /// Host `from` dials host `to` and waits for the connection (10 s at most).
  void connect(size_t from, size_t to);

  /// Runs `task` on the loop to completion and returns its value; rethrows
  /// its failure; throws std::runtime_error after `timeout`.
  template <typename T>
  T run(boost::asio::awaitable<T> task, std::chrono::milliseconds timeout);
  /// Runs the loop until `done()` holds (true) or `timeout` passes (false).
  bool run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout);
  /// Runs the loop for `time`.
  void run_for(std::chrono::milliseconds time);

 private:
  struct Host {
    std::unique_ptr<swarm::Swarm> swarm;
    std::unique_ptr<protocols::PeerStore> peers;
    std::unique_ptr<protocols::IdentifyService> identify;
    std::unique_ptr<DhtService> dht;
    multiaddr::Multiaddr address;
  };
  // Stops the DHT and shuts the swarm of `host` down.
  void shut(Host& host);

  boost::asio::io_context io_;
  std::shared_ptr<transport::MemoryNetwork> network_;
  std::vector<Host> hosts_;
};

template <typename T>
T LocalNetwork::run(boost::asio::awaitable<T> task, std::chrono::milliseconds timeout) {
  std::optional<T> result;
  std::exception_ptr error;
  bool done = false;
  auto wrapper = [&]() -> boost::asio::awaitable<void> { result.emplace(co_await std::move(task)); };
  boost::asio::co_spawn(io_, wrapper(), [&](std::exception_ptr e) {
    error = e;
    done = true;
  });
  if (!run_until([&] { return done; }, timeout)) throw std::runtime_error("local network task timed out");
  if (error) std::rethrow_exception(error);
  return std::move(*result);
}

}  // namespace prowl::dht
