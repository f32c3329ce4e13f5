#include "host/services/discovery/mdns_dialer.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include <exception>
#include <string>
#include <utility>

#include "host/base/log/log.h"
#include "host/swarm/swarm.h"

namespace prowl::discovery {
namespace asio = boost::asio;

std::shared_ptr<MdnsDialer> MdnsDialer::create(asio::any_io_executor executor, swarm::Swarm& swarm,
                                               MdnsDialLimits limits, DiscoveredHandler on_connected) {
  return std::shared_ptr<MdnsDialer>(new MdnsDialer(std::move(executor), swarm, limits, std::move(on_connected)));
}

MdnsDialer::MdnsDialer(asio::any_io_executor executor, swarm::Swarm& swarm, MdnsDialLimits limits,
                       DiscoveredHandler on_connected)
    : executor_(std::move(executor)), swarm_(swarm), limits_(limits), on_connected_(std::move(on_connected)) {}

bool MdnsDialer::on_peer(const identity::PeerId& peer, std::vector<multiaddr::Multiaddr> addresses) {
  if (stopped_ || addresses.empty() || peer == swarm_.local_peer() || pending_.contains(peer)) return false;
  if (pending_.size() >= limits_.max_pending) return false;
  const auto connections = swarm_.connections();
  if (connections.size() >= limits_.max_connections) return false;
  for (const auto& info : connections) {
    if (info.peer == peer) return false;
  }
  pending_.insert(peer);
  asio::co_spawn(executor_, dial(shared_from_this(), peer, std::move(addresses)), asio::detached);
  return true;
}

asio::awaitable<void> MdnsDialer::dial(std::shared_ptr<MdnsDialer> self, identity::PeerId peer,
                                       std::vector<multiaddr::Multiaddr> addresses) {
  auto log = log::get_logger("mdns");
  std::vector<multiaddr::Multiaddr> plain;
  for (const auto& a : addresses) plain.push_back(a.without_peer());
  bool connected = false;
  for (const auto& address : plain) {
    if (self->stopped_) break;
    auto full = address.with_peer(peer.bytes());
    if (!full) continue;
    try {
      co_await self->swarm_.dial(*full);
      connected = true;
      break;
    } catch (const std::exception& e) {
      log->debug("mDNS peer {} at {}: {}", peer.to_string(), address.to_string(), e.what());
    }
  }
  if (auto it = self->pending_.find(peer); it != self->pending_.end()) self->pending_.erase(it);
  if (!connected || self->stopped_) co_return;
  log->info("connected to mDNS peer {}", peer.to_string());
  if (self->on_connected_) self->on_connected_(peer, plain);
}

}  // namespace prowl::discovery
