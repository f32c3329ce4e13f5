// The swarm: listens and dials on every transport, upgrades raw connections
// (multistream-select -> Noise XX -> multistream-select -> Yamux), keeps at
// most one connection per peer where it can, enforces the connection
// limits, and routes inbound streams to protocol handlers by protocol id.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "host/base/identity/key_pair.h"
#include "host/base/identity/peer_id.h"
#include "host/base/multiaddr/multiaddr.h"
#include "host/swarm/stream.h"

namespace prowl::transport {
class Transport;
}

namespace prowl::swarm {

/// Limits and timeouts; every one comes from config (network.limits.*).
struct SwarmConfig {
  size_t max_connections = 256;              ///< established, both directions
  size_t max_pending_handshakes = 64;        ///< inbound upgrades in flight; a new one evicts the oldest
  size_t max_pending_handshakes_per_address = 8;  ///< of them from one remote IP; a new one evicts its oldest
  size_t max_streams_per_connection = 512;   ///< both directions
  size_t max_inbound_streams_per_protocol = 128;  ///< per connection
  size_t max_negotiating_streams_per_connection = 128;  ///< inbound streams not yet past multistream
  size_t max_queued_control_bytes = 1 << 20;  ///< Yamux control frames queued for a peer that does not read
  std::chrono::milliseconds handshake_timeout{10000};
  std::chrono::milliseconds negotiation_timeout{10000};  ///< multistream on a new stream
  std::chrono::milliseconds idle_timeout{120000};        ///< a connection with no streams
  std::chrono::milliseconds dial_backoff_base{1000};     ///< doubles per failure, capped
  std::chrono::milliseconds dial_backoff_max{300000};
  uint32_t max_stream_window = 16 * 1024 * 1024;     ///< Yamux: a stream's receive window grows up to this
  uint64_t max_connection_window = 256ull << 20;     ///< Yamux: all streams' receive windows together
  uint32_t max_ack_backlog = 256;                    ///< Yamux: our new streams the peer has not ACKed yet
};

/// Facts about a live connection.
struct ConnectionInfo {
  identity::PeerId peer;
  multiaddr::Multiaddr remote_address;  ///< as observed, without /p2p
  multiaddr::Multiaddr local_address;
  bool outbound = false;
  size_t streams = 0;
  size_t negotiating_streams = 0;   ///< inbound streams not yet handed to a handler
  size_t queued_bytes = 0;          ///< sealed bytes waiting for the writer
  size_t queued_control_bytes = 0;  ///< Yamux control frames queued, not yet written
};

/// The swarm's handshake admission counters.
struct HandshakeStats {
  size_t pending = 0;   ///< inbound upgrades in flight
  uint64_t evicted = 0;  ///< pending upgrades closed to admit newer ones
};

/// Handles one inbound stream; the swarm resets the stream if it throws.
using StreamHandler = std::function<boost::asio::awaitable<void>(std::shared_ptr<Stream>)>;

/// Called on the swarm's executor when a connection is established or closed.
using ConnectionObserver = std::function<void(const ConnectionInfo&, bool established)>;

/// Not thread-safe: call it from its executor.
class Swarm {
 public:
  Swarm(boost::asio::any_io_executor executor, identity::KeyPair identity, SwarmConfig config);
  ~Swarm();
  Swarm(const Swarm&) = delete;
  Swarm& operator=(const Swarm&) = delete;

  /// Adds a way to move bytes; the first transport that handles an address wins.
  void add_transport(std::unique_ptr<transport::Transport> transport);

  /// Starts listening; returns the bound address (port resolved) ending in /p2p/<our id>.
  /// Throws std::runtime_error naming the address and the cause.
  boost::asio::awaitable<multiaddr::Multiaddr> listen(const multiaddr::Multiaddr& address);

  /// Routes inbound streams negotiating `protocol` to `handler`. Replaces an earlier one.
  void set_handler(const std::string& protocol, StreamHandler handler);
  /// Protocol ids with a handler, sorted.
  std::vector<std::string> protocols() const;

  /// Connects to `address` (its /p2p id, if any, must match the remote's
  /// proven identity) or returns the existing connection's peer. Throws
  /// std::runtime_error with the cause (refused, timeout, peer id mismatch,
  /// backoff, limit).
  boost::asio::awaitable<identity::PeerId> dial(const multiaddr::Multiaddr& address);

  /// Opens a stream to a connected peer, negotiating the first protocol of
  /// `protocols` the peer supports. Throws StreamError when none is, or the
  /// peer is not connected.
  boost::asio::awaitable<std::shared_ptr<Stream>> open_stream(
      const identity::PeerId& peer, const std::vector<std::string>& protocols);

  /// Closes every connection gracefully (Yamux GoAway) and stops listening.
  boost::asio::awaitable<void> shutdown();

  /// Observes connections opening and closing.
  void add_observer(ConnectionObserver observer);

  const identity::PeerId& local_peer() const noexcept;
  const identity::KeyPair& identity() const noexcept;
  /// Addresses we listen on, each ending in /p2p/<our id>.
  std::vector<multiaddr::Multiaddr> listen_addresses() const;
  /// Live connections.
  std::vector<ConnectionInfo> connections() const;
  /// Inbound handshakes in flight and evicted so far.
  HandshakeStats handshake_stats() const;

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;  // shared with the swarm's coroutines, which may outlive it
};

}  // namespace prowl::swarm
