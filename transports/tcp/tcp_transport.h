// The TCP transport: /ip4|ip6|dns|dns4|dns6/<host>/tcp/<port> over Asio sockets.
#pragma once

#include <boost/asio/any_io_executor.hpp>

#include <memory>
#include <string_view>

#include "transports/core/transport.h"

namespace prowl::transport {

/// Dials and listens on plain TCP addresses (no /ws suffix). Streams and
/// listeners run on the executor given here. Not thread-safe.
class TcpTransport : public Transport {
 public:
  explicit TcpTransport(boost::asio::any_io_executor executor);

  std::string_view name() const noexcept override { return "tcp"; }
  bool handles(const multiaddr::Multiaddr& address) const override;
  boost::asio::awaitable<std::unique_ptr<ByteStream>> dial(const multiaddr::Multiaddr& address) override;
  std::unique_ptr<Listener> listen(const multiaddr::Multiaddr& address) override;

 private:
  boost::asio::any_io_executor executor_;
};

}  // namespace prowl::transport
