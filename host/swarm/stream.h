// A negotiated, multiplexed stream to a remote peer: what protocol handlers
// (ping, identify, perf, plugins' protocols) read and write. The swarm's
// Yamux streams implement it; tests may use an in-memory pair.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>

#include "host/base/identity/peer_id.h"
#include "host/base/status/status.h"

namespace prowl::swarm {

/// A stream failed. Its status code says how, so callers never read the
/// text: kClosed (reset by either side, its connection lost), kUnreachable
/// (not connected), kTimeout (a deadline passed), kUnsupported (the peer
/// speaks none of the protocols asked for), kLimit (a limit was hit),
/// kInvalidInput (the peer broke the framing).
class StreamError : public StatusError {
 public:
  explicit StreamError(std::string message, StatusCode code = StatusCode::kClosed)
      : StatusError(code, std::move(message)) {}
};

/// One bidirectional stream. All operations run on the connection's executor;
/// at most one read and one write may be outstanding at a time.
class Stream {
 public:
  virtual ~Stream() = default;

  /// Reads at least one byte into `buffer` (REQUIRES: non-empty); returns 0
  /// once the remote closed its side (FIN). Throws StreamError on reset or a
  /// lost connection, after the bytes that arrived before it were read (a
  /// local reset() discards them). Bytes of `buffer` past the count returned
  /// may have been overwritten (data is decrypted straight into it).
  virtual boost::asio::awaitable<size_t> read_some(std::span<uint8_t> buffer) = 0;

  /// Writes all of `data`, waiting for flow-control credit as needed.
  /// Throws StreamError on reset, a lost connection, or after close_write().
  virtual boost::asio::awaitable<void> write(std::span<const uint8_t> data) = 0;

  /// Half-closes our side (FIN); reading continues.
  virtual boost::asio::awaitable<void> close_write() = 0;

  /// Aborts the stream in both directions (RST). Never throws.
  virtual void reset() noexcept = 0;

  /// The protocol id negotiated for this stream.
  virtual const std::string& protocol() const noexcept = 0;

  /// The authenticated remote peer.
  virtual const identity::PeerId& remote_peer() const noexcept = 0;

  /// Reads exactly buffer.size() bytes. Throws StreamError on early FIN.
  boost::asio::awaitable<void> read_exact(std::span<uint8_t> buffer);
};

}  // namespace prowl::swarm
