// /ipfs/ping/1.0.0 (libp2p specs, ping/ping.md): the dialer writes 32 random
// bytes, the listener echoes them; one stream carries any number of round
// trips until the dialer closes its side.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "host/swarm/stream.h"

namespace prowl::protocols {

inline constexpr std::string_view kPingProtocol = "/ipfs/ping/1.0.0";
/// Bytes in one ping payload.
inline constexpr size_t kPingPayloadBytes = 32;
/// Round trips one inbound stream may carry before the server resets it.
inline constexpr uint64_t kMaxPingsPerStream = 1'000'000;

/// Serves pings on `stream`: echoes each 32-byte payload until the remote
/// closes its side, then closes ours. Returns the number of pings echoed.
/// Throws swarm::StreamError if the stream fails, the remote closes in the
/// middle of a payload, or it sends more than `max_pings` payloads (the
/// stream is reset then).
boost::asio::awaitable<uint64_t> serve_ping(swarm::Stream& stream,
                                            uint64_t max_pings = kMaxPingsPerStream);

/// The dialer's side of one ping stream. Not thread-safe; use it from the
/// stream's executor. Does not own the stream.
class PingClient {
 public:
  /// REQUIRES: `stream` negotiated kPingProtocol and outlives this object.
  explicit PingClient(swarm::Stream& stream) : stream_(stream) {}

  /// Sends a fresh random payload and waits for its echo; returns the round
  /// trip time. Throws swarm::StreamError if the stream fails, ends early or
  /// the echo differs from the payload.
  boost::asio::awaitable<std::chrono::nanoseconds> round_trip();

  /// Closes our side and waits for the listener to close its side without
  /// sending anything more. Throws swarm::StreamError otherwise.
  boost::asio::awaitable<void> finish();

 private:
  swarm::Stream& stream_;
};

}  // namespace prowl::protocols
