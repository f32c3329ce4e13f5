// The registry in-memory transports share: listeners bound to TCP-shaped
// addresses (/ip4/127.0.0.1/tcp/<port>) that dials reach without sockets.
// One MemoryNetwork stands for one simulated network in a test or simulation.
#pragma once

#include <boost/asio/any_io_executor.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>

#include "transports/core/transport.h"

namespace prowl::transport {

/// Not thread-safe: every host on one network runs on one thread.
class MemoryNetwork {
 public:
  /// Hands an accepted stream to a listener; false when its backlog is full.
  using Inbox = std::function<bool(std::unique_ptr<ByteStream>)>;

  /// Each direction of a connection buffers at most `pipe_capacity` bytes.
  explicit MemoryNetwork(size_t pipe_capacity = 256 * 1024);

  /// Registers a listener on `address` (/ip4|ip6/<ip>/tcp/<port>; port 0
  /// picks a free one) whose streams run on `executor`. Returns the bound
  /// address. Throws std::runtime_error naming the address when it is in
  /// use or not an IP/TCP address.
  multiaddr::Multiaddr bind(const multiaddr::Multiaddr& address, boost::asio::any_io_executor executor,
                            Inbox inbox);

  /// Removes the listener on `address` (as bind returned it), if any.
  void unbind(const multiaddr::Multiaddr& address) noexcept;

  /// Connects to the listener on `address`; the returned end runs on
  /// `executor`. Throws std::runtime_error naming the address when nothing
  /// listens there ("connection refused") or its backlog is full.
  std::unique_ptr<ByteStream> connect(const multiaddr::Multiaddr& address, boost::asio::any_io_executor executor);

 private:
  using Key = std::pair<std::string, uint16_t>;  // canonical IP text, port
  struct Bound {
    boost::asio::any_io_executor executor;
    Inbox inbox;
  };

  uint16_t free_port(const std::string& host);

  size_t pipe_capacity_;
  std::map<Key, Bound> listeners_;
  uint16_t next_port_ = 20000;
};

}  // namespace prowl::transport
