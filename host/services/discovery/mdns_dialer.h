// The glue between mDNS discovery and the swarm: dials peers mDNS reports,
// within limits (no second dial to a connected or pending peer, a cap on
// dials in flight, none once the swarm holds max_connections), and reports
// each peer it connected to (e.g. to the DHT, which then looks itself up).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <functional>
#include <memory>
#include <set>
#include <vector>

#include "host/base/identity/peer_id.h"
#include "host/base/multiaddr/multiaddr.h"

namespace prowl::swarm {
class Swarm;
}

namespace prowl::discovery {

/// How much dialing mDNS may cause.
struct MdnsDialLimits {
  size_t max_connections = 64;  ///< no mDNS dial while the swarm holds this many connections
  size_t max_pending = 8;       ///< mDNS dials in flight at once
};

/// Called on the executor for each discovered peer that was connected, with
/// the addresses mDNS announced for it (without /p2p).
using DiscoveredHandler = std::function<void(const identity::PeerId&, const std::vector<multiaddr::Multiaddr>&)>;

/// Not thread-safe: use it on the swarm's executor. The swarm must outlive
/// the dials in flight: call stop() before shutting it down.
class MdnsDialer : public std::enable_shared_from_this<MdnsDialer> {
 public:
  static std::shared_ptr<MdnsDialer> create(boost::asio::any_io_executor executor, swarm::Swarm& swarm,
                                            MdnsDialLimits limits, DiscoveredHandler on_connected);
  /// The mdns::PeerHandler: dials `peer` through `addresses` unless a limit
  /// or an existing connection says otherwise. Returns whether a dial started.
  bool on_peer(const identity::PeerId& peer, std::vector<multiaddr::Multiaddr> addresses);
  /// Ignores further discoveries.
  void stop() noexcept { stopped_ = true; }
  /// Dials in flight.
  size_t pending() const noexcept { return pending_.size(); }

 private:
  MdnsDialer(boost::asio::any_io_executor executor, swarm::Swarm& swarm, MdnsDialLimits limits,
             DiscoveredHandler on_connected);
  static boost::asio::awaitable<void> dial(std::shared_ptr<MdnsDialer> self, identity::PeerId peer,
                                           std::vector<multiaddr::Multiaddr> addresses);

  boost::asio::any_io_executor executor_;
  swarm::Swarm& swarm_;
  MdnsDialLimits limits_;
  DiscoveredHandler on_connected_;
  std::set<identity::PeerId> pending_;
  bool stopped_ = false;
};

}  // namespace prowl::discovery
