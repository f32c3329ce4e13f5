// Length-prefixed messages on a stream, as identify and most libp2p
// request/response protocols frame them: <uvarint length><bytes>.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "host/swarm/stream.h"

namespace prowl::swarm {

/// Writes <uvarint data.size()><data> in one write. Throws StreamError.
boost::asio::awaitable<void> write_message(Stream& stream, std::span<const uint8_t> data);

/// Reads one message of at most `max_bytes` bytes, reading nothing past it.
/// Returns nullopt on a clean end of stream before the first byte. Throws
/// StreamError naming the problem (malformed length, "message of N bytes
/// exceeds the limit of M", end of stream inside a message) or a failure of
/// the stream.
boost::asio::awaitable<std::optional<std::vector<uint8_t>>> read_message(Stream& stream, size_t max_bytes);

}  // namespace prowl::swarm
