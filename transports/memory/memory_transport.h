// The in-memory transport: TCP-shaped addresses inside a shared
// MemoryNetwork, so hosts in one process connect through the full upgrade
// path (multistream, Noise, Yamux) without sockets.
#pragma once

#include <boost/asio/any_io_executor.hpp>

#include <memory>
#include <string_view>

#include "transports/core/transport.h"
#include "transports/memory/memory_network.h"

namespace prowl::transport {

/// Dials and listens on /ip4|ip6/<ip>/tcp/<port> addresses of `network`.
/// Not thread-safe; see MemoryNetwork.
class MemoryTransport : public Transport {
 public:
  /// Streams and listeners run on `executor`.
  MemoryTransport(boost::asio::any_io_executor executor, std::shared_ptr<MemoryNetwork> network);

  std::string_view name() const noexcept override { return "memory"; }
  bool handles(const multiaddr::Multiaddr& address) const override;
  boost::asio::awaitable<std::unique_ptr<ByteStream>> dial(const multiaddr::Multiaddr& address) override;
  std::unique_ptr<Listener> listen(const multiaddr::Multiaddr& address) override;

 private:
  boost::asio::any_io_executor executor_;
  std::shared_ptr<MemoryNetwork> network_;
};

}  // namespace prowl::transport
