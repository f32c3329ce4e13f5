#include "host/node/network_node.h"

#include <boost/asio/co_spawn.hpp>

#include <exception>

#include "host/base/log/log.h"
#include "host/services/protocols/perf/perf.h"
#include "host/services/protocols/ping/ping.h"
#include "transports/tcp/tcp_transport.h"
#include "transports/websocket/ws_transport.h"

namespace prowl::net_cli {
namespace asio = boost::asio;

std::string agent_version() { return std::string("prowl/") + PROWL_VERSION; }

NetworkNode::NetworkNode(asio::any_io_executor executor, identity::KeyPair key,
                         NetworkOptions options)
    : executor_(executor),
      options_(std::move(options)),
      swarm_(executor, std::move(key), options_.swarm),
      identify_(swarm_, peers_, agent_version(), options_.max_identify_bytes) {
  swarm_.add_transport(std::make_unique<transport::TcpTransport>(executor));
  swarm_.add_transport(std::make_unique<transport::WebSocketTransport>(executor));
  swarm_.set_handler(std::string(protocols::kPingProtocol),
                     [](std::shared_ptr<swarm::Stream> stream) -> asio::awaitable<void> {
                       co_await protocols::serve_ping(*stream);
                     });
  if (options_.serve_perf) {
    swarm_.set_handler(std::string(protocols::kPerfProtocol),
                       [](std::shared_ptr<swarm::Stream> stream) -> asio::awaitable<void> {
                         co_await protocols::serve_perf(*stream);
                       });
  }
  identify_.install();
  if (options_.identify_on_connect) {
    swarm_.add_observer([this](const swarm::ConnectionInfo& info, bool established) {
      if (!established) return;
      asio::co_spawn(
          executor_,
          [this, peer = info.peer]() -> asio::awaitable<void> {
            const protocols::IdentifyRecord record = co_await identify_.identify(peer);
            if (options_.on_identified) options_.on_identified(peer, record);
          },
          [peer = info.peer](std::exception_ptr error) {
            if (!error) return;
            try {
              std::rethrow_exception(error);
            } catch (const std::exception& e) {
              log::get_logger("identify")->debug("identify of {} failed: {}", peer.to_string(), e.what());
            }
          });
    });
  }
}

asio::awaitable<std::vector<multiaddr::Multiaddr>> NetworkNode::listen(
    const std::vector<multiaddr::Multiaddr>& addresses) {
  std::vector<multiaddr::Multiaddr> bound;
  for (const auto& address : addresses) bound.push_back(co_await swarm_.listen(address));
  co_return bound;
}

void NetworkNode::set_handler(const std::string& protocol, swarm::StreamHandler handler) {
  swarm_.set_handler(protocol, std::move(handler));
  asio::co_spawn(executor_, identify_.push_if_changed(), [](std::exception_ptr, size_t pushed) {
    if (pushed > 0) log::get_logger("identify")->debug("pushed our new protocols to {} peer(s)", pushed);
  });
}

asio::awaitable<void> NetworkNode::shutdown() { co_await swarm_.shutdown(); }

}  // namespace prowl::net_cli
