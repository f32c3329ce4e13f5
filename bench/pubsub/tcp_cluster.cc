#include "bench/pubsub/tcp_cluster.h"

#include <algorithm>

#include "host/base/identity/key_pair.h"
#include "host/testing/random_graph.h"
#include "transports/tcp/tcp_transport.h"

namespace prowl::bench {
namespace asio = boost::asio;
using namespace std::chrono_literals;

TcpCluster::TcpCluster(size_t hosts, size_t threads, const pubsub_service::PubsubServiceConfig& config,
                       const Placement& place) {
  threads = std::max<size_t>(threads, 1);
  for (size_t t = 0; t < threads; ++t) {
    loops_.push_back(std::make_unique<asio::io_context>(1));
    guards_.push_back(asio::make_work_guard(*loops_.back()));
  }
  for (size_t t = 0; t < threads; ++t) threads_.emplace_back([loop = loops_[t].get()] { loop->run(); });
  const auto listen_on = *multiaddr::Multiaddr::parse("/ip4/127.0.0.1/tcp/0");
  hosts_.resize(hosts);
  for (size_t i = 0; i < hosts; ++i) {
    Host& host = hosts_[i];
    host.loop = place ? place(i) % threads : i % threads;
    on(i, [&] {
      host.swarm = std::make_unique<swarm::Swarm>(executor(i), identity::KeyPair::generate(), swarm::SwarmConfig{});
      host.swarm->add_transport(std::make_unique<transport::TcpTransport>(executor(i)));
    });
    host.address = run<multiaddr::Multiaddr>(
        i, [&] { return host.swarm->listen(listen_on); }, 10s);
    on(i, [&] { host.service = std::make_unique<pubsub_service::PubsubService>(executor(i), *host.swarm, config); });
  }
}

TcpCluster::~TcpCluster() {
  for (size_t i = 0; i < hosts_.size(); ++i) on(i, [&] { hosts_[i].service.reset(); });
  std::vector<std::future<void>> closing;
  for (size_t i = 0; i < hosts_.size(); ++i)
    closing.push_back(asio::co_spawn(executor(i), hosts_[i].swarm->shutdown(), asio::use_future));
  for (auto& f : closing) {
    if (f.wait_for(10s) == std::future_status::ready) {
      try {
        f.get();
      } catch (const std::exception&) {
        // A swarm that fails to close gracefully is dropped below anyway.
      }
    }
  }
  for (size_t i = 0; i < hosts_.size(); ++i) on(i, [&] { hosts_[i].swarm.reset(); });
  for (auto& guard : guards_) guard.reset();
  for (auto& loop : loops_) loop->stop();
  for (auto& thread : threads_) thread.join();
}

void TcpCluster::connect(size_t from, size_t to) {
  const multiaddr::Multiaddr target = address(to);
  const identity::PeerId peer = run<identity::PeerId>(
      from, [this, from, target] { return swarm(from).dial(target); }, 10s);
  if (peer != on(to, [this, to] { return swarm(to).local_peer(); }))
    throw std::runtime_error("tcp cluster: dialed the wrong peer");
}

void TcpCluster::connect_random(size_t degree, uint64_t seed) {
  test_support::connect_random(hosts_.size(), degree, seed, [this](size_t a, size_t b) { connect(a, b); });
}

}  // namespace prowl::bench
