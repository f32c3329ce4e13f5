// A libp2p node for the network commands: a swarm with the TCP and
// WebSocket transports, serving ping, identify (+ push) and optionally perf.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "host/base/identity/key_pair.h"
#include "host/base/multiaddr/multiaddr.h"
#include "host/services/protocols/identify/identify_service.h"
#include "host/wire/identify/peer_store.h"
#include "host/swarm/swarm.h"

namespace prowl::net_cli {

/// What a node serves and how it behaves.
struct NetworkOptions {
  swarm::SwarmConfig swarm;
  size_t max_identify_bytes = protocols::kMaxIdentifyBytes;  ///< a peer's larger identify message is refused
  bool serve_perf = false;           ///< answer /perf/1.0.0 (off by default: it moves any amount asked)
  bool identify_on_connect = false;  ///< ask every new peer for its identify record
  /// Called with each record identify_on_connect learned.
  std::function<void(const identity::PeerId&, const protocols::IdentifyRecord&)> on_identified;
};

/// The agent version prowl announces: "prowl/<version>".
std::string agent_version();

/// Not thread-safe: use it from its executor. Call shutdown() and let it
/// finish before destroying the node.
class NetworkNode {
 public:
  NetworkNode(boost::asio::any_io_executor executor, identity::KeyPair key, NetworkOptions options);
  NetworkNode(const NetworkNode&) = delete;
  NetworkNode& operator=(const NetworkNode&) = delete;

  /// Listens on every address; returns the bound addresses ending in /p2p/<id>.
  /// Throws std::runtime_error naming the address that failed.
  boost::asio::awaitable<std::vector<multiaddr::Multiaddr>> listen(
      const std::vector<multiaddr::Multiaddr>& addresses);

  /// Serves `protocol` with `handler` (replacing an earlier one) and, when
  /// our protocol list changed, pushes our identify record to every
  /// connected peer (/ipfs/id/push/1.0.0) in the background.
  void set_handler(const std::string& protocol, swarm::StreamHandler handler);

  /// Closes every connection and listener.
  boost::asio::awaitable<void> shutdown();

  swarm::Swarm& swarm() noexcept { return swarm_; }
  protocols::IdentifyService& identify() noexcept { return identify_; }
  protocols::PeerStore& peers() noexcept { return peers_; }

 private:
  boost::asio::any_io_executor executor_;
  NetworkOptions options_;
  swarm::Swarm swarm_;
  protocols::PeerStore peers_;
  protocols::IdentifyService identify_;
};

}  // namespace prowl::net_cli
