// A ByteStream over one connected TCP socket.
#pragma once

#include <boost/asio/ip/tcp.hpp>

#include "transports/core/transport.h"

namespace prowl::transport {

/// Owns a connected socket. One read and one write may be outstanding.
class TcpStream : public ByteStream {
 public:
  /// REQUIRES: `socket` is connected.
  explicit TcpStream(boost::asio::ip::tcp::socket socket);

  boost::asio::awaitable<size_t> read_some(std::span<uint8_t> buffer) override;
  boost::asio::awaitable<void> write_all(std::span<const uint8_t> data) override;
  void close() noexcept override;
  const multiaddr::Multiaddr& remote_address() const noexcept override { return remote_; }
  const multiaddr::Multiaddr& local_address() const noexcept override { return local_; }

 private:
  boost::asio::ip::tcp::socket socket_;
  multiaddr::Multiaddr local_;
  multiaddr::Multiaddr remote_;
};

}  // namespace prowl::transport
