// The I/O side of mDNS discovery: one IPv4 UDP socket on 0.0.0.0:5353 that
// joins 224.0.0.251 on one chosen interface, drives an MdnsDiscovery with two
// coroutines (receive loop, query timer) and reports discovered peers.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "host/base/identity/peer_id.h"
#include "host/wire/mdns/mdns_discovery.h"
#include "host/base/multiaddr/multiaddr.h"

namespace prowl::mdns {

/// Called on the service's executor for each peer MdnsDiscovery reports; the
/// swarm decides whether (and within which limits) to dial it.
using PeerHandler =
    std::function<void(const identity::PeerId&, std::vector<multiaddr::Multiaddr>)>;

/// Socket choices of an MdnsService.
struct MdnsSocketOptions {
  std::string interface_name;  ///< e.g. "eth0" (`--mdns-interface`); must have an IPv4 address
  bool multicast_loop = true;  ///< IP_MULTICAST_LOOP: hear our own and local peers' packets
};

/// Runs mDNS discovery on one interface. Create with create(), then start();
/// every method must be called on `executor` (or before it runs). stop() ends
/// both loops; the object lives until they have finished.
class MdnsService : public std::enable_shared_from_this<MdnsService> {
 public:
  /// Opens and configures the socket (SO_REUSEADDR, SO_REUSEPORT, bound to
  /// port 5353, group joined on the interface, IP_MULTICAST_IF, TTL 255).
  /// Throws std::runtime_error naming the interface and the failing step.
  static std::shared_ptr<MdnsService> create(boost::asio::any_io_executor executor,
                                             MdnsDiscovery discovery, MdnsSocketOptions options,
                                             PeerHandler on_peer);

  /// Starts the receive loop and the query timer. Call once.
  void start();

  /// Closes the socket and cancels the timer; the loops end soon after.
  void stop();

  /// Replaces the addresses announced (see MdnsDiscovery::set_listen_addresses).
  void set_listen_addresses(const std::vector<multiaddr::Multiaddr>& addresses);

  /// The IPv4 address of the chosen interface, e.g. for building listen addresses.
  const boost::asio::ip::address_v4& interface_address() const noexcept {
    return interface_address_;
  }

 private:
  MdnsService(boost::asio::any_io_executor executor, MdnsDiscovery discovery,
              MdnsSocketOptions options, PeerHandler on_peer);
  void open();
  boost::asio::awaitable<void> receive_loop(std::shared_ptr<MdnsService> self);
  boost::asio::awaitable<void> query_loop(std::shared_ptr<MdnsService> self);
  boost::asio::awaitable<void> send(const std::vector<uint8_t>& bytes,
                                    const boost::asio::ip::udp::endpoint& to);

  MdnsDiscovery discovery_;
  MdnsSocketOptions options_;
  PeerHandler on_peer_;
  boost::asio::ip::udp::socket socket_;
  boost::asio::steady_timer timer_;
  boost::asio::ip::address_v4 interface_address_;
  unsigned interface_index_ = 0;
  bool stopped_ = false;
};

}  // namespace prowl::mdns
