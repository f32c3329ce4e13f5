#include "host/dht/local_network.h"

#include <utility>

#include "transports/memory/memory_network.h"
#include "transports/memory/memory_transport.h"

namespace prowl::dht {
namespace asio = boost::asio;
using namespace std::chrono_literals;

LocalNetwork::LocalNetwork() : network_(std::make_shared<transport::MemoryNetwork>()) {}

LocalNetwork::~LocalNetwork() {
  for (Host& host : hosts_) {
    if (host.dht) shut(host);
  }
  hosts_.clear();
  io_.restart();
  io_.poll();
}

size_t LocalNetwork::add_host(const identity::KeyPair& key, const DhtConfig& config,
                              const swarm::SwarmConfig& swarm_config) {
  Host host;
  host.swarm = std::make_unique<swarm::Swarm>(io_.get_executor(), key, swarm_config);
  host.swarm->add_transport(std::make_unique<transport::MemoryTransport>(io_.get_executor(), network_));
  host.peers = std::make_unique<protocols::PeerStore>();
  host.identify = std::make_unique<protocols::IdentifyService>(*host.swarm, *host.peers, "prowl-dht-test");
  host.dht = std::make_unique<DhtService>(io_.get_executor(), *host.swarm, *host.peers, *host.identify, config);
  host.dht->start();  // registers the kad handler before identify snapshots the protocols
  host.identify->install();
  host.address = run(host.swarm->listen(*multiaddr::Multiaddr::parse("/ip4/127.0.0.1/tcp/0")), 10s);
  hosts_.push_back(std::move(host));
  return hosts_.size() - 1;
}

void LocalNetwork::shut(Host& host) {
  host.dht->stop();
  bool closed = false;
  asio::co_spawn(io_, host.swarm->shutdown(), [&closed](std::exception_ptr) { closed = true; });
  run_until([&] { return closed; }, 10s);
  host.dht.reset();
}

void LocalNetwork::remove_host(size_t i) {
  Host& host = hosts_.at(i);
  if (host.dht) shut(host);
}

void LocalNetwork::connect(size_t from, size_t to) {
  const identity::PeerId peer = run(hosts_.at(from).swarm->dial(hosts_.at(to).address), 10s);
  if (peer != hosts_.at(to).swarm->local_peer()) throw std::runtime_error("dialed the wrong peer");
}

bool LocalNetwork::run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    if (io_.stopped()) io_.restart();
    io_.run_one_for(10ms);
  }
  return true;
}

void LocalNetwork::run_for(std::chrono::milliseconds time) {
  const auto until = std::chrono::steady_clock::now() + time;
  while (std::chrono::steady_clock::now() < until) {
    if (io_.stopped()) io_.restart();
    io_.run_one_until(until);
  }
}

}  // namespace prowl::dht
