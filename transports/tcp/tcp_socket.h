// TCP plumbing shared by the transports that run over TCP (plain TCP and
// WebSocket): multiaddr <-> endpoint conversion, resolving, socket tuning.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "host/base/multiaddr/multiaddr.h"

namespace prowl::transport {

/// The multiaddr of `endpoint`: /ip4|ip6/<address>/tcp/<port>, followed by
/// /ws when `websocket`. IPv4-mapped IPv6 addresses are shown as /ip4.
multiaddr::Multiaddr to_multiaddr(const boost::asio::ip::tcp::endpoint& endpoint, bool websocket = false);

/// True when `address` is exactly /ip4|ip6|dns|dns4|dns6/<host>/tcp/<port>,
/// followed by `suffix_code` when non-zero, and optionally by /p2p/<id>.
bool is_tcp_address(const multiaddr::Multiaddr& address, uint32_t suffix_code);

/// Connects a socket to the endpoint of `address` (an IP literal, or a DNS
/// name resolved with the family /dns4 or /dns6 asks for), with TCP_NODELAY
/// set. Throws std::runtime_error naming the address and the cause.
/// REQUIRES: address.tcp_endpoint() holds.
boost::asio::awaitable<boost::asio::ip::tcp::socket> connect_tcp(const multiaddr::Multiaddr& address);

/// An acceptor bound to the IP literal and port of `address` (port 0 picks a
/// free one), with SO_REUSEADDR, listening. Throws std::runtime_error
/// naming the address and the cause. DNS names are refused.
boost::asio::ip::tcp::acceptor bind_tcp(const boost::asio::any_io_executor& executor,
                                        const multiaddr::Multiaddr& address);

/// Sets TCP_NODELAY and generous buffers on a connected socket; errors are ignored.
void tune_socket(boost::asio::ip::tcp::socket& socket) noexcept;

}  // namespace prowl::transport
