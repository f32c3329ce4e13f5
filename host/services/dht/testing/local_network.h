// Many DHT hosts in one process: Swarms on a shared in-memory network (the
// full upgrade path: multistream, Noise, Yamux; no sockets), each serving
// identify and running a DhtService, all on one io_context. For tests and
// the DHT benchmark.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "host/services/dht/dht_service.h"
#include "host/base/identity/key_pair.h"
#include "host/base/multiaddr/multiaddr.h"
#include "host/services/protocols/identify/identify_service.h"
#include "host/wire/identify/peer_store.h"
#include "host/swarm/swarm.h"
#include "host/testing/memory_swarms.h"

namespace prowl::dht {

/// The loop, its helpers (run, run_until, run_for) and io() come from
/// MemorySwarms. Not thread-safe: one thread drives it.
class LocalNetwork : public test_support::MemorySwarms {
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

  /// Host `from` dials host `to` and waits for the connection (10 s at most).
  void connect(size_t from, size_t to);

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

  std::vector<Host> hosts_;
};

}  // namespace prowl::dht
