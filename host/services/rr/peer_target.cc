#include "host/services/rr/peer_target.h"

#include <stdexcept>

#include "host/swarm/swarm.h"

namespace prowl::rr {

std::optional<PeerTarget> PeerTarget::parse(std::string_view text, std::string* error) {
  std::string why;
  if (!text.starts_with('/')) {
    auto peer = identity::PeerId::from_string(text, &why);
    if (!peer) {
      *error = "bad peer id '" + std::string(text) + "': " + why;
      return std::nullopt;
    }
    return PeerTarget{*peer, std::nullopt};
  }
  auto address = multiaddr::Multiaddr::parse(text, &why);
  if (!address) {
    *error = "bad multiaddr '" + std::string(text) + "': " + why;
    return std::nullopt;
  }
  auto id = address->peer_id_bytes();
  auto peer = id ? identity::PeerId::from_bytes(*id, &why) : std::nullopt;
  if (!peer) {
    *error = "multiaddr '" + std::string(text) + "' names no valid /p2p peer id" + (why.empty() ? "" : ": " + why);
    return std::nullopt;
  }
  return PeerTarget{*peer, *address};
}

boost::asio::awaitable<Status> ensure_connected(swarm::Swarm& swarm, const PeerTarget& target) {
  for (const auto& connection : swarm.connections()) {
    if (connection.peer == target.peer) co_return Status{};
  }
  if (!target.address)
    co_return Status{StatusCode::kUnreachable, "not connected to " + target.peer.to_string() + " (no address to dial)"};
  try {
    co_await swarm.dial(*target.address);
  } catch (const std::exception& e) {
    co_return Status{StatusCode::kUnreachable, "cannot dial " + target.peer.to_string() + ": " + e.what()};
  }
  co_return Status{};
}

boost::asio::awaitable<OpenedStream> open_stream_to(swarm::Swarm& swarm, const PeerTarget& target,
                                                    const std::string& protocol) {
  // (GCC 12 mis-destroys a co_await result inside a braced initializer.)
  OpenedStream opened;
  opened.status = co_await ensure_connected(swarm, target);
  if (!opened.status.ok()) co_return opened;
  const std::vector<std::string> protocols{protocol};
  try {
    opened.stream = co_await swarm.open_stream(target.peer, protocols);
  } catch (const swarm::StreamError& e) {
    opened.status = e.status();
  } catch (const std::exception& e) {
    opened.status = {StatusCode::kClosed, e.what()};
  }
  co_return opened;
}

}  // namespace prowl::rr
