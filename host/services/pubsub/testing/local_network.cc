#include "host/services/pubsub/testing/local_network.h"

#include <utility>

#include "host/base/identity/key_pair.h"
#include "host/testing/random_graph.h"

namespace prowl::pubsub_service {

LocalNetwork::LocalNetwork(size_t hosts, const PubsubServiceConfig& config) {
  hosts_.reserve(hosts);
  for (size_t i = 0; i < hosts; ++i) {
    Host host;
    host.swarm = make_swarm(identity::KeyPair::generate());
    host.address = listen(*host.swarm);
    host.service = std::make_unique<PubsubService>(io().get_executor(), *host.swarm, config);
    hosts_.push_back(std::move(host));
  }
}

LocalNetwork::~LocalNetwork() {
  for (Host& host : hosts_) host.service.reset();
  for (Host& host : hosts_) shutdown(*host.swarm);
  hosts_.clear();
}

void LocalNetwork::connect(size_t from, size_t to) {
  MemorySwarms::connect(*hosts_.at(from).swarm, *hosts_.at(to).swarm, hosts_.at(to).address);
}

void LocalNetwork::connect_random(size_t degree, uint64_t seed) {
  test_support::connect_random(hosts_.size(), degree, seed, [this](size_t a, size_t b) { connect(a, b); });
}

}  // namespace prowl::pubsub_service
