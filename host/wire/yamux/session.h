// A Yamux session (hashicorp/yamux spec.md, libp2p "/yamux/1.0.0"), sans-IO:
// the driver feeds received bytes to on_bytes, sends pending_output() to the
// peer, and handles the events from take_events(). No I/O, no threads.
//
// Flow control: every stream starts with the spec's 256 KiB window; the
// session grants credit as the application consume()s data, and grows a busy
// stream's window towards Config::max_window when the peer would otherwise
// stall within a round trip (RTT measured from pings). Unread data per stream
// is therefore bounded by its window, and so is what the peer may still send
// on a stream after we reset it (the window it had left): more ends the
// session. Protocol violations end the session with a SessionError event and
// a GoAway(protocol error) frame.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include "host/wire/yamux/event.h"
#include "host/wire/yamux/frame_decoder.h"
#include "host/wire/yamux/frame_header.h"
#include "host/wire/yamux/receive_window.h"

namespace prowl::yamux {

/// Which end of the connection this session is: clients open odd stream ids, servers even ones.
enum class Role { kClient, kServer };

/// Limits and tuning of one session.
struct Config {
  uint32_t max_streams = 1024;                    ///< open streams per direction
  uint32_t initial_window = kSpecInitialWindow;   ///< receive window of a new stream (>= 256 KiB)
  uint32_t max_window = 16 * 1024 * 1024;         ///< auto-tuning limit per stream
  uint64_t max_session_window = 256ull << 20;     ///< auto-tuning limit over all streams
  uint32_t max_frame_payload = 64 * 1024;         ///< largest data frame payload we send
  uint32_t max_ack_backlog = 256;                 ///< our streams the peer has not yet ACKed
  size_t max_events = 16384;                      ///< untaken events before the session fails
  std::chrono::milliseconds ping_interval{10000}; ///< automatic RTT pings; 0 disables them
  std::function<std::chrono::steady_clock::time_point()> clock;  ///< defaults to steady_clock::now
};

/// Why open_stream failed.
enum class OpenError {
  kNone,
  kAckBacklogFull,    ///< max_ack_backlog streams await the peer's ACK; retry on OpenAvailable
  kTooManyStreams,    ///< max_streams of our streams are open; retry on OpenAvailable
  kIdsExhausted,      ///< all 2^31 stream ids of our parity were used
  kGoingAway,         ///< a GoAway was sent or received
  kSessionFailed,     ///< the session ended with a SessionError
};

/// A short description of `error`.
const char* to_string(OpenError error) noexcept;

/// Outcome of Session::open_stream.
struct OpenResult {
  StreamId id = 0;                      ///< the new stream when ok()
  OpenError error = OpenError::kNone;
  /// True when a stream was opened.
  bool ok() const noexcept { return error == OpenError::kNone; }
};

/// Not thread-safe: one driver calls everything.
class Session {
 public:
  using Clock = std::chrono::steady_clock;

  /// Throws std::invalid_argument when `config` is inconsistent (initial_window
  /// below 256 KiB or above max_window, any limit zero).
  Session(Role role, Config config);

  /// Processes bytes received from the peer, in any slicing. Also sends the
  /// periodic ping when due, so on_bytes({}) serves as a timer tick.
  void on_bytes(std::span<const uint8_t> bytes);

  /// Opens a stream (sends SYN). Fails per OpenError.
  OpenResult open_stream();

  /// Queues as much of `data` as the stream's send window allows, in frames
  /// of at most max_frame_payload. Returns the bytes accepted; when short,
  /// a WritableAgain event follows once the peer grants more window. Returns
  /// 0 for a stream that is unknown, reset, already closed for writing, or
  /// when the session failed.
  size_t write(StreamId id, std::span<const uint8_t> data);

  /// Zero-copy form of write(): queues the header of one data frame carrying
  /// min(length, max_frame_payload, send window) bytes and returns that
  /// count; the caller sends exactly that many payload bytes right behind
  /// pending_output(), before anything else is queued. Returns 0, queueing
  /// nothing, where write() would accept nothing.
  size_t write_header(StreamId id, size_t length);

  /// Half-closes our direction (FIN). False when the stream is unknown or already closed for writing.
  bool close_write(StreamId id);

  /// Resets the stream (RST) and forgets it, but for the window the peer had
  /// left: data it sends on the stream beyond that fails the session. False
  /// when the stream is unknown.
  bool reset(StreamId id);

  /// The application handled `n` bytes of stream `id`; grants the peer window as due.
  /// REQUIRES: n is at most the bytes delivered and not yet consumed (excess is ignored).
  void consume(StreamId id, size_t n);

  /// Sends a ping request; its answer yields a PingRtt event with the returned
  /// opaque value. A newer ping supersedes an unanswered one. Returns 0 when the session failed.
  uint32_t ping();

  /// Sends GoAway(code) once: no new streams in either direction afterwards;
  /// open streams continue. The peer's later SYNs are refused with RST.
  void go_away(GoAwayCode code);

  /// Bytes to send to the peer. The driver sends them and clears the vector,
  /// or swaps it with an empty vector of its own, so capacity is reused.
  std::vector<uint8_t>& pending_output() noexcept { return out_; }

  /// Moves the bytes to send out of the session.
  std::vector<uint8_t> take_output();

  /// Moves the queued events out, oldest first. Take them after each call
  /// that may produce some: more than Config::max_events untaken fail the
  /// session. Handle them before the next call: it frees the memory that the
  /// previous batch's gathered StreamData bytes view.
  std::vector<Event> take_events();

  /// True when the stream exists (not reset, not closed in both directions).
  bool is_open(StreamId id) const;
  /// Bytes write() would accept on the stream now (0 when unknown).
  uint64_t send_window(StreamId id) const;
  /// The stream's current receive window size, which auto-tuning grows (0 when unknown).
  uint32_t receive_window(StreamId id) const;
  /// Open streams, both directions.
  size_t stream_count() const noexcept { return streams_.size(); }
  /// Our streams the peer has not acknowledged yet.
  uint32_t ack_backlog() const noexcept { return ack_backlog_; }
  /// The last measured round-trip time, if any.
  std::optional<Clock::duration> rtt() const noexcept { return rtt_; }
  /// True after a SessionError.
  bool failed() const noexcept { return failed_; }

 private:
  static constexpr size_t kNoBuffer = ~size_t{0};

  struct Stream {
    ReceiveWindow recv;
    uint64_t send_window = kSpecInitialWindow;
    bool outbound = false;
    bool acked = false;
    bool local_fin = false;
    bool remote_fin = false;
    bool write_blocked = false;
    uint64_t data_event_epoch = 0;  // == events_epoch_ when events_[data_event_index] is ours
    size_t data_event_index = 0;
    size_t data_event_buffer = kNoBuffer;  // its gathered_ index, when it views gathered memory
  };

  bool is_local_id(StreamId id) const noexcept;
  bool was_opened(StreamId id) const noexcept;
  Stream* find(StreamId id);
  const Stream* find(StreamId id) const;
  Stream& add_stream(StreamId id, bool outbound);
  void remove_stream(StreamId id);
  /// Remembers that the peer may still send `credit` bytes on `id`, which we reset.
  void note_local_reset(StreamId id, uint32_t credit);
  /// Charges a data frame for a stream that is gone; fails the session when
  /// it exceeds what the peer had left on a stream we reset.
  void charge_closed_stream(const FrameHeader& h);

  void on_header(const FrameDecoder::Item& item);
  void on_stream_header(const FrameHeader& h);
  Stream* accept_inbound(const FrameHeader& h);
  void on_payload(std::span<const uint8_t> payload);
  void on_frame_end();
  void on_ping(const FrameHeader& h);
  void on_go_away(const FrameHeader& h);

  void append_frame(FrameType type, uint16_t flags, StreamId id, uint32_t length);
  void send_window_update(StreamId id, Stream& s, uint16_t flags, bool force);
  void maybe_auto_ping();
  void note_open_capacity();
  bool push_event(Event event);
  void fail(GoAwayCode code, std::string what);

  Role role_;
  Config config_;
  FrameDecoder decoder_;
  FrameHeader current_;            // frame being decoded
  uint64_t current_offset_ = 0;    // its position in the input stream
  uint32_t payload_left_ = 0;      // its payload bytes not yet received
  std::unordered_map<StreamId, Stream> streams_;
  std::unordered_map<StreamId, uint32_t> reset_credit_;  // streams we reset: bytes the peer may still send
  std::deque<StreamId> reset_order_;                     // their ids, oldest first (bounds the map)
  uint64_t next_local_id_;
  StreamId last_remote_id_ = 0;
  uint32_t outbound_count_ = 0;
  uint32_t inbound_count_ = 0;
  uint32_t ack_backlog_ = 0;
  uint64_t window_total_ = 0;      // sum of receive windows of all streams
  bool open_blocked_ = false;      // an open failed for capacity; OpenAvailable is owed
  bool local_go_away_ = false;
  bool remote_go_away_ = false;
  bool failed_ = false;
  uint32_t ping_counter_ = 0;
  std::optional<uint32_t> ping_outstanding_;
  std::optional<Clock::time_point> last_ping_sent_;
  std::optional<Clock::duration> rtt_;
  std::vector<uint8_t> out_;
  std::vector<Event> events_;
  std::vector<std::vector<uint8_t>> gathered_;  // small payloads joined, for untaken events
  std::vector<std::vector<uint8_t>> handed_;    // gathered_ of the events last taken
  std::vector<std::vector<uint8_t>> spare_buffers_;  // emptied handed_, reused
  uint64_t events_epoch_ = 1;
};

}  // namespace prowl::yamux
