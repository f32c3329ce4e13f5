// One upgraded connection: a Yamux session over a Noise channel over a
// transport stream, driven by one read loop and one writer on one executor.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "host/base/identity/peer_id.h"
#include "host/wire/noise/secure_channel.h"
#include "host/swarm/payload_router.h"
#include "host/wire/yamux/session.h"
#include "transports/core/notifier.h"
#include "transports/core/transport.h"

namespace prowl::swarm {

class YamuxStream;

/// Not thread-safe: everything runs on executor(). Create with
/// std::make_shared, then start().
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  /// Limits of one connection.
  struct Options {
    size_t max_streams = 512;  ///< live streams, both directions
    std::chrono::milliseconds idle_timeout{120000};  ///< closes after this long without streams
    std::chrono::milliseconds close_timeout{2000};   ///< a graceful close gives up after this
    uint32_t initial_window = yamux::kSpecInitialWindow;  ///< Yamux receive window of a new stream (>= 256 KiB)
    uint32_t max_window = 16 * 1024 * 1024;  ///< a stream's window grows up to this (>= initial_window)
    uint64_t max_session_window = 256ull << 20;  ///< all streams' windows together
    uint32_t max_ack_backlog = 256;              ///< our streams the peer has not ACKed yet (> 0)
    /// Inbound streams still negotiating their protocol (opened, not yet
    /// handed to a handler); the peer's further SYNs are refused with RST.
    size_t max_negotiating_streams = 128;
    /// Yamux control frames (ping replies, window updates, ACKs, RSTs) queued
    /// for the peer and not yet written: a peer that makes us queue more than
    /// this while not reading is cut off. Stream data needs no such limit:
    /// writers wait once 1 MiB is queued.
    size_t max_queued_control_bytes = 1 << 20;
  };
  /// Receives each stream the peer opens (not yet negotiated).
  using InboundHandler = std::function<void(std::shared_ptr<YamuxStream>)>;
  /// Told once when the connection closed, with the reason.
  using ClosedHandler = std::function<void(Connection&, const std::string& reason)>;

  /// `early_data` are Yamux bytes already decrypted by the upgrade.
  Connection(boost::asio::any_io_executor executor, std::unique_ptr<transport::ByteStream> stream,
             noise::SecureChannel channel, std::vector<uint8_t> early_data, identity::PeerId remote, bool outbound,
             Options options);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// Starts the read loop, the writer and the idle timer. Either handler may
  /// be empty: without `on_inbound` the peer's streams are reset.
  void start(InboundHandler on_inbound, ClosedHandler on_closed);

  /// Opens a stream (not yet negotiated), waiting while the peer has not
  /// acknowledged too many. Throws StreamError when closed, going away or at
  /// the stream limit.
  boost::asio::awaitable<std::shared_ptr<YamuxStream>> open_stream();

  /// Sends GoAway (normal), flushes what is queued (for at most
  /// Options::close_timeout) and closes.
  boost::asio::awaitable<void> close_gracefully();

  /// As close_gracefully() with GoAway(`code`), for `reason`, in the
  /// background: the host ending a session for a peer's fault (a limit it
  /// exceeded, a protocol error) still tells it why.
  void close_with_go_away(yamux::GoAwayCode code, std::string reason);

  /// Closes at once; every stream fails with `reason`.
  void close(const std::string& reason) noexcept;

  bool is_open() const noexcept { return open_; }
  bool outbound() const noexcept { return outbound_; }
  const identity::PeerId& remote_peer() const noexcept { return remote_; }
  const multiaddr::Multiaddr& remote_address() const noexcept { return stream_->remote_address(); }
  const multiaddr::Multiaddr& local_address() const noexcept { return stream_->local_address(); }
  /// Live streams (objects not yet destroyed).
  size_t stream_count() const noexcept { return streams_.size(); }
  /// Inbound streams opened by the peer and not yet admitted to a handler.
  size_t negotiating_count() const noexcept { return inbound_live_ - counted_.size(); }
  /// Yamux control bytes queued for the peer and not yet handed to the
  /// transport (bounded by Options::max_queued_control_bytes).
  size_t queued_control_bytes() noexcept { return sealed_control_ + session_.pending_output().size(); }
  /// Sealed bytes (data and control) waiting for the writer.
  size_t queued_bytes() const noexcept { return sealed_.size; }
  const boost::asio::any_io_executor& executor() const noexcept { return executor_; }

  /// Counts an inbound stream of `protocol` unless `limit` of them are live; false when full.
  bool admit_inbound(YamuxStream& stream, size_t limit);
  /// Live inbound streams counted for `protocol`.
  size_t inbound_count(std::string_view protocol) const;

  // For YamuxStream.
  /// Encrypts as much of `data` as the send window allows (at least one
  /// frame, then stopping at the output high-water mark) straight from `data` into the next write batch;
  /// returns the bytes taken. `data` is not referenced after the call.
  size_t write(yamux::StreamId id, std::span<const uint8_t> data);
  /// True while `id` exists in the session with send window left or pending.
  bool stream_writable(yamux::StreamId id) const;
  void close_write(yamux::StreamId id);
  void reset_stream(yamux::StreamId id);
  void consume(yamux::StreamId id, size_t n);
  /// True while so much output is queued that writers should wait.
  bool output_full() noexcept;
  /// Waits until the writer took a batch, or the connection closed.
  boost::asio::awaitable<void> wait_output_drained();
  /// The stream object is going away.
  void forget(YamuxStream& stream) noexcept;

 private:
  static boost::asio::awaitable<void> read_loop(std::shared_ptr<Connection> self);
  static boost::asio::awaitable<void> write_loop(std::shared_ptr<Connection> self);
  static boost::asio::awaitable<void> idle_loop(std::shared_ptr<Connection> self);
  /// Queues GoAway(`code`) unless one is, waits for the writer to flush
  /// (at most Options::close_timeout), then closes for `reason`.
  static boost::asio::awaitable<void> finish(std::shared_ptr<Connection> self, yamux::GoAwayCode code,
                                             std::string reason);
  /// Sealed bytes waiting for the writer; the vector only grows, so
  /// appending never zero-fills.
  struct WireBuffer {
    std::vector<uint8_t> bytes;
    size_t size = 0;
    /// Appends `n` uninitialised bytes and returns them.
    std::span<uint8_t> extend(size_t n);
  };

  /// Opens every whole Noise frame at the front of `in`, advancing it, and
  /// feeds each frame's plaintext to the session once its tag verified;
  /// payload a reader waits for is decrypted straight into its buffer. False,
  /// with `*error` saying why, when a frame fails.
  bool open_frames(std::span<uint8_t>& in, std::string* error);
  void dispatch_events();
  /// Encrypts the concatenation of `parts` onto sealed_; false (closing the
  /// connection) when the channel refuses.
  bool seal(std::span<const std::span<const uint8_t>> parts);
  /// Seals the session's queued control frames, if any.
  bool seal_control();
  /// Wakes the writer when something is queued; cuts the peer off when its
  /// control frames overflow Options::max_queued_control_bytes.
  void flush() noexcept;

  boost::asio::any_io_executor executor_;
  std::unique_ptr<transport::ByteStream> stream_;
  noise::SecureChannel channel_;
  std::vector<uint8_t> early_data_;
  identity::PeerId remote_;
  bool outbound_;
  Options options_;
  yamux::Session session_;
  PayloadRouter router_;
  std::vector<std::span<const uint8_t>> opened_;  ///< open_frames()' pieces of one frame, reused
  std::unordered_map<yamux::StreamId, YamuxStream*> streams_;
  std::map<std::string, size_t, std::less<>> inbound_protocols_;
  std::unordered_map<yamux::StreamId, std::string> counted_;  ///< inbound streams in inbound_protocols_
  size_t inbound_live_ = 0;  ///< inbound stream objects alive (counted_ or negotiating)
  InboundHandler on_inbound_;
  ClosedHandler on_closed_;
  transport::Notifier output_ready_;
  transport::Notifier drained_;
  transport::Notifier open_available_;
  boost::asio::steady_timer idle_timer_;
  std::chrono::steady_clock::time_point idle_since_;
  WireBuffer sealed_;   ///< sealed bytes for the next write
  WireBuffer writing_buffer_;  ///< sealed bytes being written
  size_t sealed_control_ = 0;  ///< control bytes in sealed_
  bool writing_ = false;
  bool open_ = true;
  std::string close_reason_;
};

}  // namespace prowl::swarm
