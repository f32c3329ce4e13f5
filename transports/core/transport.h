// The one interface every way of moving bytes implements (TCP, WebSocket,
// in-memory). A transport yields raw, unauthenticated byte streams; the
// swarm upgrades them (Noise, Yamux).
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "host/base/multiaddr/multiaddr.h"

namespace prowl::transport {

/// A reliable, ordered, bidirectional byte stream. One read and one write
/// may be outstanding at once; all on the executor it was created on.
class ByteStream {
 public:
  virtual ~ByteStream() = default;
  /// Reads at least one byte; returns 0 at end of stream. Throws
  /// boost::system::system_error on failure.
  virtual boost::asio::awaitable<size_t> read_some(std::span<uint8_t> buffer) = 0;
  /// Writes all of `data`. Throws boost::system::system_error on failure.
  virtual boost::asio::awaitable<void> write_all(std::span<const uint8_t> data) = 0;
  /// Closes both directions; outstanding operations complete with an error.
  virtual void close() noexcept = 0;
  /// The remote end as a multiaddr (without /p2p), e.g. /ip4/127.0.0.1/tcp/4001/ws.
  virtual const multiaddr::Multiaddr& remote_address() const noexcept = 0;
  /// Our end as a multiaddr.
  virtual const multiaddr::Multiaddr& local_address() const noexcept = 0;
};

/// Accepts inbound byte streams on one bound address.
class Listener {
 public:
  virtual ~Listener() = default;
  /// Waits for the next inbound stream. Throws boost::system::system_error
  /// once closed.
  virtual boost::asio::awaitable<std::unique_ptr<ByteStream>> accept() = 0;
  /// The bound address, with the real port when 0 was asked for.
  virtual const multiaddr::Multiaddr& address() const noexcept = 0;
  /// Stops accepting; a pending accept() fails.
  virtual void close() noexcept = 0;
};

/// A way of moving bytes, selected by the form of a multiaddr.
class Transport {
 public:
  virtual ~Transport() = default;
  /// A short name for logs ("tcp", "ws", "memory").
  virtual std::string_view name() const noexcept = 0;
  /// True when this transport can dial or listen on `address` (a /p2p suffix is ignored).
  virtual bool handles(const multiaddr::Multiaddr& address) const = 0;
  /// Opens a byte stream to `address`. Throws boost::system::system_error
  /// or std::runtime_error naming the address and the cause.
  virtual boost::asio::awaitable<std::unique_ptr<ByteStream>> dial(
      const multiaddr::Multiaddr& address) = 0;
  /// Binds and listens on `address`. Throws std::runtime_error naming the
  /// address and the cause (in use, not permitted, unresolvable).
  virtual std::unique_ptr<Listener> listen(const multiaddr::Multiaddr& address) = 0;
};

}  // namespace prowl::transport
