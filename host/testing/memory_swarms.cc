#include "host/testing/memory_swarms.h"

#include <string>
#include <utility>

#include "transports/memory/memory_network.h"
#include "transports/memory/memory_transport.h"

namespace prowl::test_support {
namespace asio = boost::asio;
using namespace std::chrono_literals;

MemorySwarms::MemorySwarms() : network_(std::make_shared<transport::MemoryNetwork>()) {}

MemorySwarms::~MemorySwarms() {
  io_.restart();
  io_.poll();
}

std::unique_ptr<swarm::Swarm> MemorySwarms::make_swarm(const identity::KeyPair& key,
                                                       const swarm::SwarmConfig& config) {
  auto s = std::make_unique<swarm::Swarm>(io_.get_executor(), key, config);
  s->add_transport(std::make_unique<transport::MemoryTransport>(io_.get_executor(), network_));
  return s;
}

multiaddr::Multiaddr MemorySwarms::listen(swarm::Swarm& s, std::string_view address) {
  std::string error;
  const auto parsed = multiaddr::Multiaddr::parse(std::string(address), &error);
  if (!parsed) throw std::runtime_error("listen address: " + error);
  return run(s.listen(*parsed), 10s);
}

void MemorySwarms::connect(swarm::Swarm& from, const swarm::Swarm& to, const multiaddr::Multiaddr& to_address) {
  const identity::PeerId peer = run(from.dial(to_address), 10s);
  if (peer != to.local_peer()) throw std::runtime_error("dialed the wrong peer");
}

void MemorySwarms::shutdown(swarm::Swarm& s) {
  bool closed = false;
  asio::co_spawn(io_, s.shutdown(), [&closed](std::exception_ptr) { closed = true; });
  run_until([&] { return closed; }, 10s);
}

bool MemorySwarms::run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    if (io_.stopped()) io_.restart();
    io_.run_one_for(10ms);
  }
  return true;
}

void MemorySwarms::run_for(std::chrono::milliseconds time) {
  const auto until = std::chrono::steady_clock::now() + time;
  while (std::chrono::steady_clock::now() < until) {
    if (io_.stopped()) io_.restart();
    io_.run_one_until(until);
  }
}

}  // namespace prowl::test_support
