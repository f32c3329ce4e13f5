#include "host/pubsub_service/local_network.h"

#include <boost/asio/co_spawn.hpp>

#include <algorithm>
#include <exception>
#include <optional>
#include <random>
#include <set>
#include <stdexcept>

#include "host/identity/key_pair.h"
#include "transports/memory/memory_network.h"
#include "transports/memory/memory_transport.h"

namespace prowl::pubsub_service {
namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

// Runs `task` on the network's loop to completion (or `timeout`), rethrowing its failure.
template <typename T>
T run_task(LocalNetwork& net, asio::awaitable<T> task, std::chrono::milliseconds timeout) {
  std::optional<T> result;  // T may lack a default constructor, so the task stores it
  std::exception_ptr error;
  bool done = false;
  auto wrapper = [&]() -> asio::awaitable<void> { result.emplace(co_await std::move(task)); };
  asio::co_spawn(net.io(), wrapper(), [&](std::exception_ptr e) {
    error = e;
    done = true;
  });
  if (!net.run_until([&] { return done; }, timeout)) throw std::runtime_error("local network task timed out");
  if (error) std::rethrow_exception(error);
  return std::move(*result);
}

}  // namespace

LocalNetwork::LocalNetwork(size_t hosts, const PubsubServiceConfig& config)
    : network_(std::make_shared<transport::MemoryNetwork>()) {
  const auto listen_on = *multiaddr::Multiaddr::parse("/ip4/127.0.0.1/tcp/0");
  hosts_.reserve(hosts);
  for (size_t i = 0; i < hosts; ++i) {
    Host host;
    host.swarm = std::make_unique<swarm::Swarm>(io_.get_executor(), identity::KeyPair::generate(), swarm::SwarmConfig{});
    host.swarm->add_transport(std::make_unique<transport::MemoryTransport>(io_.get_executor(), network_));
    host.address = run_task(*this, host.swarm->listen(listen_on), 10s);
    host.service = std::make_unique<PubsubService>(io_.get_executor(), *host.swarm, config);
    hosts_.push_back(std::move(host));
  }
}

LocalNetwork::~LocalNetwork() {
  for (Host& host : hosts_) host.service.reset();
  size_t closed = 0;
  for (Host& host : hosts_) {
    asio::co_spawn(io_, host.swarm->shutdown(), [&closed](std::exception_ptr) { ++closed; });
  }
  run_until([&] { return closed == hosts_.size(); }, 10s);
  hosts_.clear();
  io_.restart();
  io_.poll();
}

void LocalNetwork::connect(size_t from, size_t to) {
  const identity::PeerId peer = run_task(*this, hosts_.at(from).swarm->dial(hosts_.at(to).address), 10s);
  if (peer != hosts_.at(to).swarm->local_peer()) throw std::runtime_error("dialed the wrong peer");
}

void LocalNetwork::connect_random(size_t degree, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::set<std::pair<size_t, size_t>> edges;
  auto add = [&](size_t a, size_t b) {
    if (a == b) return;
    if (edges.emplace(std::min(a, b), std::max(a, b)).second) connect(a, b);
  };
  const size_t n = hosts_.size();
  for (size_t i = 0; i < n; ++i) add(i, (i + 1) % n);
  std::uniform_int_distribution<size_t> pick(0, n - 1);
  for (size_t i = 0; i < n; ++i) {
    for (size_t k = 0; k < degree; ++k) add(i, pick(rng));
  }
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

}  // namespace prowl::pubsub_service
