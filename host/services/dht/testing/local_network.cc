#include "host/services/dht/testing/local_network.h"

#include <stdexcept>
#include <utility>

namespace prowl::dht {

LocalNetwork::LocalNetwork() = default;

LocalNetwork::~LocalNetwork() {
  for (Host& host : hosts_) {
    if (host.dht) shut(host);
  }
  hosts_.clear();
}

size_t LocalNetwork::add_host(const identity::KeyPair& key, const DhtConfig& config,
                              const swarm::SwarmConfig& swarm_config) {
  Host host;
  host.swarm = make_swarm(key, swarm_config);
  host.peers = std::make_unique<protocols::PeerStore>();
  host.identify = std::make_unique<protocols::IdentifyService>(*host.swarm, *host.peers, "prowl-dht-test");
  host.dht = std::make_unique<DhtService>(io().get_executor(), *host.swarm, *host.peers, *host.identify, config);
  host.dht->start();  // registers the kad handler before identify snapshots the protocols
  host.identify->install();
  host.address = listen(*host.swarm);
  hosts_.push_back(std::move(host));
  return hosts_.size() - 1;
}

void LocalNetwork::shut(Host& host) {
  host.dht->stop();
  shutdown(*host.swarm);
  host.dht.reset();
}

void LocalNetwork::remove_host(size_t i) {
  Host& host = hosts_.at(i);
  if (host.dht) shut(host);
}

void LocalNetwork::connect(size_t from, size_t to) {
  MemorySwarms::connect(*hosts_.at(from).swarm, *hosts_.at(to).swarm, hosts_.at(to).address);
}

}  // namespace prowl::dht
