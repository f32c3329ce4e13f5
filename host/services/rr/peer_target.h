// Who a plugin or service wants to talk to: a peer id, or a multiaddr ending
// in /p2p/<id> to dial when the peer is not connected.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "host/base/identity/peer_id.h"
#include "host/base/multiaddr/multiaddr.h"
#include "host/services/rr/reply.h"

namespace prowl::swarm {
class Stream;
class Swarm;
}

namespace prowl::rr {

/// A peer and, optionally, where to dial it.
struct PeerTarget {
  identity::PeerId peer;
  std::optional<multiaddr::Multiaddr> address;  ///< ends in /p2p/<peer>

  /// Parses a peer id text or a multiaddr text with /p2p. On failure returns
  /// nullopt and names the problem in *error.
  static std::optional<PeerTarget> parse(std::string_view text, std::string* error);
};

/// Succeeds at once when `target.peer` is connected; otherwise dials its
/// address. Fails with PROWL_ERR_UNREACHABLE naming the cause.
/// REQUIRES: on the swarm's executor.
boost::asio::awaitable<Status> ensure_connected(swarm::Swarm& swarm, const PeerTarget& target);

/// A stream, or why there is none.
struct OpenedStream {
  Status status;
  std::shared_ptr<swarm::Stream> stream;  ///< set when status.ok()
};

/// Connects as ensure_connected does, then opens a stream negotiating
/// `protocol`. Failures: PROWL_ERR_UNREACHABLE, PROWL_ERR_UNSUPPORTED (the
/// peer does not speak it), PROWL_ERR_TIMEOUT, PROWL_ERR_CLOSED.
/// REQUIRES: on the swarm's executor.
boost::asio::awaitable<OpenedStream> open_stream_to(swarm::Swarm& swarm, const PeerTarget& target,
                                                    const std::string& protocol);

}  // namespace prowl::rr
