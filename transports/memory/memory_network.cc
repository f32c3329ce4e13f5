#include "transports/memory/memory_network.h"

#include <optional>
#include <stdexcept>

#include "host/base/multiaddr/protocol.h"
#include "transports/memory/memory_pipe.h"
#include "transports/memory/memory_stream.h"

namespace prowl::transport {
namespace {

std::optional<multiaddr::TcpEndpoint> ip_endpoint(const multiaddr::Multiaddr& address) {
  auto endpoint = address.tcp_endpoint();
  if (!endpoint || (endpoint->host_protocol != multiaddr::kIp4 && endpoint->host_protocol != multiaddr::kIp6))
    return std::nullopt;
  return endpoint;
}

multiaddr::Multiaddr with_port(const multiaddr::Multiaddr& address, uint16_t port) {
  auto components = address.without_peer().components();
  components.resize(2);
  components[1].value = {static_cast<uint8_t>(port >> 8), static_cast<uint8_t>(port)};
  // Cannot fail: only the port of a valid address changed.
  return *multiaddr::Multiaddr::from_components(std::move(components));
}

}  // namespace

MemoryNetwork::MemoryNetwork(size_t pipe_capacity) : pipe_capacity_(pipe_capacity) {}

uint16_t MemoryNetwork::free_port(const std::string& host) {
  for (uint32_t tries = 0; tries < 0xffff; ++tries) {
    const uint16_t port = next_port_;
    next_port_ = next_port_ == 0xffff ? 20000 : static_cast<uint16_t>(next_port_ + 1);
    if (!listeners_.contains({host, port})) return port;
  }
  throw std::runtime_error("memory network: no free port on " + host);
}

multiaddr::Multiaddr MemoryNetwork::bind(const multiaddr::Multiaddr& address, boost::asio::any_io_executor executor,
                                         Inbox inbox) {
  const auto endpoint = ip_endpoint(address);
  if (!endpoint) throw std::runtime_error(address.to_string() + ": not an /ip4 or /ip6 TCP address");
  const uint16_t port = endpoint->port != 0 ? endpoint->port : free_port(endpoint->host);
  const auto [it, inserted] = listeners_.try_emplace({endpoint->host, port}, Bound{std::move(executor), std::move(inbox)});
  if (!inserted) throw std::runtime_error(address.to_string() + ": address already in use");
  return with_port(address, port);
}

void MemoryNetwork::unbind(const multiaddr::Multiaddr& address) noexcept {
  if (const auto endpoint = ip_endpoint(address)) listeners_.erase({endpoint->host, endpoint->port});
}

std::unique_ptr<ByteStream> MemoryNetwork::connect(const multiaddr::Multiaddr& address,
                                                   boost::asio::any_io_executor executor) {
  const auto endpoint = ip_endpoint(address);
  if (!endpoint) throw std::runtime_error(address.to_string() + ": not an /ip4 or /ip6 TCP address");
  const auto it = listeners_.find({endpoint->host, endpoint->port});
  if (it == listeners_.end()) throw std::runtime_error(address.to_string() + ": connection refused");
  const multiaddr::Multiaddr server_address = with_port(address, endpoint->port);
  const multiaddr::Multiaddr client_address = with_port(address, free_port(endpoint->host));
  auto to_server = std::make_shared<MemoryPipe>(it->second.executor, executor, pipe_capacity_);
  auto to_client = std::make_shared<MemoryPipe>(executor, it->second.executor, pipe_capacity_);
  auto server = std::make_unique<MemoryStream>(to_server, to_client, server_address, client_address);
  if (!it->second.inbox(std::move(server)))
    throw std::runtime_error(address.to_string() + ": connection refused (backlog full)");
  return std::make_unique<MemoryStream>(to_client, to_server, client_address, server_address);
}

}  // namespace prowl::transport
