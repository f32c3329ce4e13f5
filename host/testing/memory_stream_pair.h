// A test double: two connected in-memory swarm::Stream ends on one executor,
// so protocol handlers run without sockets, Noise or Yamux.
#pragma once

#include <boost/asio/any_io_executor.hpp>

#include <memory>
#include <string>
#include <utility>

#include "host/base/identity/peer_id.h"
#include "host/swarm/stream.h"

namespace prowl::protocols::testing {

/// Returns {a, b}: what a writes, b reads, and the other way round. a's
/// remote_peer() is `b_peer`, b's is `a_peer`. Writes never block.
std::pair<std::shared_ptr<swarm::Stream>, std::shared_ptr<swarm::Stream>> memory_stream_pair(
    boost::asio::any_io_executor executor, const std::string& protocol,
    const identity::PeerId& a_peer, const identity::PeerId& b_peer);

}  // namespace prowl::protocols::testing
