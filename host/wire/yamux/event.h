// Events a Yamux Session reports to the code driving it.
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "host/wire/yamux/frame_header.h"

namespace prowl::yamux {

/// The peer opened stream `id` (inbound SYN); the session has already acknowledged it.
struct StreamOpened {
  StreamId id;
};
/// Payload received on stream `id`, not copied where possible: `bytes` views
/// either the input given to Session::on_bytes (valid while the caller keeps
/// that storage unchanged) or, for payload gathered from small frames, memory
/// of the session valid until the next Session::take_events(). Consecutive
/// small payloads of one stream arrive as one event until events are taken.
/// Call Session::consume once the bytes are handled.
struct StreamData {
  StreamId id;
  std::span<const uint8_t> bytes;
};
/// The peer half-closed stream `id` (FIN): no more data will arrive on it.
struct StreamFinished {
  StreamId id;
};
/// The peer reset stream `id` (RST), or refused to open it; the stream is gone.
struct StreamReset {
  StreamId id;
};
/// A write to stream `id` was cut short by the send window, which has since grown.
struct WritableAgain {
  StreamId id;
};
/// open_stream failed for a stream limit or the ACK backlog and may now succeed.
struct OpenAvailable {};
/// A ping we sent (opaque value `opaque`) was answered after `rtt`.
struct PingRtt {
  uint32_t opaque;
  std::chrono::steady_clock::duration rtt;
};
/// The peer sent GoAway with `code` (GoAwayCode values, or any other number it chose).
struct GoAwayReceived {
  uint32_t code;
};
/// The session failed; a GoAway with `code` is queued for the peer. Always the last event.
struct SessionError {
  GoAwayCode code;
  std::string message;
};

/// Anything a Session reports.
using Event = std::variant<StreamOpened, StreamData, StreamFinished, StreamReset, WritableAgain,
                           OpenAvailable, PingRtt, GoAwayReceived, SessionError>;

}  // namespace prowl::yamux
