// multistream-select on a freshly opened or accepted stream.
#pragma once

#include <boost/asio/awaitable.hpp>

#include "host/wire/multistream/negotiation.h"
#include "host/swarm/yamux_stream.h"

namespace prowl::swarm {

/// Runs `negotiation` over `stream` until agreement, then names the
/// stream's protocol and puts bytes received after the agreement back in
/// front of its unread data. Throws StreamError naming the failure (no
/// protocol in common, malformed message, stream closed or reset).
boost::asio::awaitable<void> negotiate(YamuxStream& stream, multistream::Negotiation& negotiation);

}  // namespace prowl::swarm
