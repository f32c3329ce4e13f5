// One /prowl/task/1.0.0 stream as a channel of frames: reads bounded,
// validated frames; writes queued frames from any coroutine on the
// executor through one writer, so the frames of several tasks never
// interleave; splits a large payload into an inline head and chunks.
//
// Not thread-safe: use it on the stream's executor.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "host/swarm/stream.h"
#include "host/wire/task/message.h"
#include "transports/core/notifier.h"

namespace prowl::compute {

class Channel : public std::enable_shared_from_this<Channel> {
 public:
  Channel(std::shared_ptr<swarm::Stream> stream, boost::asio::any_io_executor executor, task::Limits limits);

  /// Starts the writer coroutine. Call once.
  void start();

  /// Queues one frame.
  void send(const task::pb::Frame& frame);

  /// Queues `frame` with its payload field set by `set_inline` to the first
  /// bytes of `payload` (at most one chunk), then Chunk frames for the rest.
  void send_with_payload(task::pb::Frame frame, uint64_t task_id, std::span<const uint8_t> payload,
                         const std::function<void(task::pb::Frame&, std::span<const uint8_t> head)>& set_inline);

  /// The next frame, checked against the limits; nullopt at a clean end of
  /// the stream. Throws StatusError for a malformed frame and
  /// swarm::StreamError when the stream fails.
  boost::asio::awaitable<std::optional<task::pb::Frame>> read();

  /// Stops the writer and resets the stream. Idempotent.
  void close() noexcept;
  bool closed() const noexcept { return closed_; }

  const identity::PeerId& remote_peer() const noexcept { return stream_->remote_peer(); }
  const task::Limits& limits() const noexcept { return limits_; }

 private:
  boost::asio::awaitable<void> write_loop();

  std::shared_ptr<swarm::Stream> stream_;
  boost::asio::any_io_executor executor_;
  task::Limits limits_;
  std::deque<std::vector<uint8_t>> queue_;
  transport::Notifier wake_;
  bool closed_ = false;
};

}  // namespace prowl::compute
