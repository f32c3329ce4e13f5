// The WebSocket transport: /ip4|ip6|dns|dns4|dns6/<host>/tcp/<port>/ws, one
// binary message per write, as js-libp2p's @libp2p/websockets expects (path "/").
#pragma once

#include <boost/asio/any_io_executor.hpp>

#include <memory>
#include <string_view>

#include "transports/core/transport.h"

namespace prowl::transport {

/// Plain (not TLS) WebSocket over TCP. Not thread-safe; streams and
/// listeners run on the executor given here.
class WebSocketTransport : public Transport {
 public:
  /// Largest message accepted from a peer.
  static constexpr size_t kMaxMessageBytes = 4 << 20;
  /// Writes are cut into messages of at most this many bytes.
  static constexpr size_t kMaxWriteMessageBytes = 1 << 20;

  explicit WebSocketTransport(boost::asio::any_io_executor executor);

  std::string_view name() const noexcept override { return "ws"; }
  /// True for .../tcp/<port>/ws addresses (not /wss).
  bool handles(const multiaddr::Multiaddr& address) const override;
  boost::asio::awaitable<std::unique_ptr<ByteStream>> dial(const multiaddr::Multiaddr& address) override;
  std::unique_ptr<Listener> listen(const multiaddr::Multiaddr& address) override;

 private:
  boost::asio::any_io_executor executor_;
};

}  // namespace prowl::transport
