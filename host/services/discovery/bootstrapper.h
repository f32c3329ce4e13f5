// Keeps connections to the configured bootstrap peers (network.bootstrap,
// --bootstrap MULTIADDR): dials each, and after a failure or a lost
// connection dials it again after an exponential backoff.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "host/services/discovery/backoff.h"
#include "host/base/identity/peer_id.h"
#include "host/base/multiaddr/multiaddr.h"

namespace prowl::swarm {
class Swarm;
}

namespace prowl::discovery {

/// Parses the bootstrap peer addresses `texts` (multiaddrs, with or without
/// /p2p/<id>); `source` names where they came from (a flag or config key).
/// Throws StatusError (kInvalidInput) "<source>: <why>" at the first that is
/// not a multiaddr (the parser's message names the text).
std::vector<multiaddr::Multiaddr> parse_bootstrap_addresses(const std::vector<std::string>& texts,
                                                            std::string_view source);

/// Why `text` is not a bootstrap address, naming it; empty when it is one
/// (as parse_bootstrap_addresses judges it, for checks that need no throw).
std::string bootstrap_address_error(std::string_view text);

/// Timing of a Bootstrapper.
struct BootstrapConfig {
  std::chrono::milliseconds backoff_base{1000};  ///< first retry delay
  std::chrono::milliseconds backoff_max{60000};  ///< retry delays double up to this
};

/// Called on the executor each time a bootstrap peer is (re)connected, with
/// its peer id and the address that worked (without /p2p).
using ConnectedHandler = std::function<void(const identity::PeerId&, const multiaddr::Multiaddr&)>;

/// Runs on the swarm's executor; every method must be called there. The
/// swarm is not owned and must outlive the bootstrapper's coroutines: call
/// stop() before shutting the swarm down.
class Bootstrapper : public std::enable_shared_from_this<Bootstrapper> {
 public:
  /// One reconnect loop per address in `peers` (with or without /p2p).
  static std::shared_ptr<Bootstrapper> create(boost::asio::any_io_executor executor, swarm::Swarm& swarm,
                                              std::vector<multiaddr::Multiaddr> peers, BootstrapConfig config,
                                              ConnectedHandler on_connected);
  /// Starts dialing. Call once.
  void start();
  /// Ends the loops; they finish soon after.
  void stop();
  /// How many bootstrap peers are connected now.
  size_t connected() const;

 private:
  struct Target {
    Target(multiaddr::Multiaddr a, const boost::asio::any_io_executor& executor, const BootstrapConfig& config)
        : address(std::move(a)), backoff(config.backoff_base, config.backoff_max), wake(executor) {}
    multiaddr::Multiaddr address;
    std::optional<identity::PeerId> peer;  // learned from the first successful dial
    Backoff backoff;
    boost::asio::steady_timer wake;  // cancelled when the peer disconnects
    bool connected = false;
  };

  Bootstrapper(boost::asio::any_io_executor executor, swarm::Swarm& swarm, BootstrapConfig config,
               ConnectedHandler on_connected);
  static boost::asio::awaitable<void> keep_connected(std::shared_ptr<Bootstrapper> self, Target& target);

  boost::asio::any_io_executor executor_;
  swarm::Swarm& swarm_;
  BootstrapConfig config_;
  ConnectedHandler on_connected_;
  std::vector<std::unique_ptr<Target>> targets_;
  bool stopped_ = false;
};

}  // namespace prowl::discovery
