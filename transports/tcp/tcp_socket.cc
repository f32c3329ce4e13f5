#include "transports/tcp/tcp_socket.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <stdexcept>
#include <string>
#include <vector>

#include "host/base/multiaddr/protocol.h"

namespace prowl::transport {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

// Large enough for a few maximal noise batches in flight; the kernel caps it.
constexpr int kSocketBufferBytes = 4 << 20;

std::runtime_error address_error(const multiaddr::Multiaddr& address, const std::string& what) {
  return std::runtime_error(address.to_string() + ": " + what);
}

bool is_ip_code(uint32_t code) { return code == multiaddr::kIp4 || code == multiaddr::kIp6; }

}  // namespace

multiaddr::Multiaddr to_multiaddr(const tcp::endpoint& endpoint, bool websocket) {
  std::vector<multiaddr::Component> components;
  asio::ip::address ip = endpoint.address();
  if (ip.is_v6() && ip.to_v6().is_v4_mapped())
    ip = asio::ip::make_address_v4(asio::ip::v4_mapped, ip.to_v6());
  if (ip.is_v4()) {
    const auto bytes = ip.to_v4().to_bytes();
    components.push_back({multiaddr::kIp4, {bytes.begin(), bytes.end()}});
  } else {
    const auto bytes = ip.to_v6().to_bytes();
    components.push_back({multiaddr::kIp6, {bytes.begin(), bytes.end()}});
  }
  const uint16_t port = endpoint.port();
  components.push_back({multiaddr::kTcp, {static_cast<uint8_t>(port >> 8), static_cast<uint8_t>(port)}});
  if (websocket) components.push_back({multiaddr::kWs, {}});
  // Cannot fail: every component was built from a valid value.
  return *multiaddr::Multiaddr::from_components(std::move(components));
}

bool is_tcp_address(const multiaddr::Multiaddr& address, uint32_t suffix_code) {
  if (!address.tcp_endpoint()) return false;
  const auto& components = address.components();
  size_t next = 2;
  if (suffix_code != 0) {
    if (components.size() <= next || components[next].code != suffix_code) return false;
    ++next;
  }
  if (components.size() == next) return true;
  return components.size() == next + 1 && components[next].code == multiaddr::kP2p;
}

asio::awaitable<tcp::socket> connect_tcp(const multiaddr::Multiaddr& address) {
  const auto target = address.tcp_endpoint();
  if (!target) throw address_error(address, "not a TCP address");
  auto executor = co_await asio::this_coro::executor;
  std::vector<tcp::endpoint> endpoints;
  if (is_ip_code(target->host_protocol)) {
    endpoints.emplace_back(asio::ip::make_address(target->host), target->port);
  } else {
    tcp::resolver resolver(executor);
    auto [ec, results] = co_await resolver.async_resolve(
        target->host, std::to_string(target->port), asio::as_tuple(asio::use_awaitable));
    if (ec) throw address_error(address, "cannot resolve '" + target->host + "': " + ec.message());
    for (const auto& entry : results) {
      const tcp::endpoint& ep = entry.endpoint();
      if (target->host_protocol == multiaddr::kDns4 && !ep.address().is_v4()) continue;
      if (target->host_protocol == multiaddr::kDns6 && !ep.address().is_v6()) continue;
      endpoints.push_back(ep);
    }
    if (endpoints.empty())
      throw address_error(address, "'" + target->host + "' has no address of the requested family");
  }
  tcp::socket socket(executor);
  auto [ec, connected] = co_await asio::async_connect(socket, endpoints, asio::as_tuple(asio::use_awaitable));
  if (ec) throw address_error(address, "connect failed: " + ec.message());
  tune_socket(socket);
  co_return socket;
}

tcp::acceptor bind_tcp(const asio::any_io_executor& executor, const multiaddr::Multiaddr& address) {
  const auto target = address.tcp_endpoint();
  if (!target) throw address_error(address, "not a TCP address");
  if (!is_ip_code(target->host_protocol))
    throw address_error(address, "cannot listen on a DNS name; use an IP address");
  const tcp::endpoint endpoint(asio::ip::make_address(target->host), target->port);
  tcp::acceptor acceptor(executor);
  boost::system::error_code ec;
  if (acceptor.open(endpoint.protocol(), ec); ec) throw address_error(address, "cannot open socket: " + ec.message());
  acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (endpoint.address().is_v6()) acceptor.set_option(asio::ip::v6_only(true), ec);
  if (acceptor.bind(endpoint, ec); ec) throw address_error(address, "cannot bind: " + ec.message());
  if (acceptor.listen(asio::socket_base::max_listen_connections, ec); ec)
    throw address_error(address, "cannot listen: " + ec.message());
  return acceptor;
}

void tune_socket(tcp::socket& socket) noexcept {
  boost::system::error_code ec;
  socket.set_option(tcp::no_delay(true), ec);
  socket.set_option(asio::socket_base::send_buffer_size(kSocketBufferBytes), ec);
  socket.set_option(asio::socket_base::receive_buffer_size(kSocketBufferBytes), ec);
}

}  // namespace prowl::transport
