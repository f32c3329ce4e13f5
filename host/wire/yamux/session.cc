#include "host/wire/yamux/session.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>

namespace prowl::yamux {
namespace {

constexpr uint64_t kMaxStreamId = 0xffffffffu;
constexpr uint64_t kMaxSendWindow = 0xffffffffu;
constexpr size_t kMaxSpareBuffers = 16;         // emptied gathering buffers kept ...
constexpr size_t kMaxSpareCapacity = 256 * 1024;  // ... each at most this large
// Payload pieces at least this large become StreamData views of the input;
// smaller ones are gathered (copied) into one event per stream, so tiny
// frames cannot flood the event queue.
constexpr size_t kMinViewBytes = 1024;

std::string stream_text(StreamId id) { return "stream " + std::to_string(id); }

}  // namespace

const char* to_string(OpenError error) noexcept {
  switch (error) {
    case OpenError::kNone:
      return "no error";
    case OpenError::kAckBacklogFull:
      return "too many streams await the peer's ACK";
    case OpenError::kTooManyStreams:
      return "too many open outbound streams";
    case OpenError::kIdsExhausted:
      return "stream ids exhausted";
    case OpenError::kGoingAway:
      return "session is going away";
    case OpenError::kSessionFailed:
      return "session failed";
  }
  return "unknown error";
}

Session::Session(Role role, Config config)
    : role_(role), config_(std::move(config)), next_local_id_(role == Role::kClient ? 1 : 2) {
  if (config_.initial_window < kSpecInitialWindow)
    throw std::invalid_argument("yamux: initial_window is below the spec's 256 KiB");
  if (config_.max_window < config_.initial_window)
    throw std::invalid_argument("yamux: max_window is below initial_window");
  if (config_.max_streams == 0 || config_.max_frame_payload == 0 ||
      config_.max_ack_backlog == 0 || config_.max_events == 0)
    throw std::invalid_argument(
        "yamux: max_streams, max_frame_payload, max_ack_backlog and max_events must be positive");
  if (!config_.clock) config_.clock = [] { return Clock::now(); };
}

bool Session::is_local_id(StreamId id) const noexcept {
  return (id % 2 == 1) == (role_ == Role::kClient);
}

bool Session::was_opened(StreamId id) const noexcept {
  return is_local_id(id) ? id < next_local_id_ : id <= last_remote_id_;
}

Session::Stream* Session::find(StreamId id) {
  auto it = streams_.find(id);
  return it == streams_.end() ? nullptr : &it->second;
}

const Session::Stream* Session::find(StreamId id) const {
  auto it = streams_.find(id);
  return it == streams_.end() ? nullptr : &it->second;
}

Session::Stream& Session::add_stream(StreamId id, bool outbound) {
  Stream s{ReceiveWindow(kSpecInitialWindow, config_.initial_window, config_.clock())};
  s.outbound = outbound;
  s.acked = !outbound;
  if (outbound) {
    ++outbound_count_;
    ++ack_backlog_;
  } else {
    ++inbound_count_;
  }
  window_total_ += config_.initial_window;
  return streams_.emplace(id, std::move(s)).first->second;
}

void Session::remove_stream(StreamId id) {
  auto it = streams_.find(id);
  if (it == streams_.end()) return;
  const Stream& s = it->second;
  if (s.outbound) {
    --outbound_count_;
    if (!s.acked) --ack_backlog_;
  } else {
    --inbound_count_;
  }
  window_total_ -= s.recv.window();
  streams_.erase(it);
  note_open_capacity();
}

void Session::note_local_reset(StreamId id, uint32_t credit) {
  // A few windows' worth of resets is remembered: an honest peer's in-flight
  // data arrives within a round trip, long before that many more resets.
  const size_t kept = 4 * static_cast<size_t>(config_.max_streams);
  reset_credit_[id] = credit;
  reset_order_.push_back(id);
  while (reset_order_.size() > kept) {
    reset_credit_.erase(reset_order_.front());
    reset_order_.pop_front();
  }
}

void Session::charge_closed_stream(const FrameHeader& h) {
  const auto it = reset_credit_.find(h.stream_id);
  if (it == reset_credit_.end() || h.length == 0) return;  // closed by both sides or by the peer: discarded
  if (h.length > it->second)
    return fail(GoAwayCode::kProtocolError,
                "data frame of " + std::to_string(h.length) + " bytes on " + stream_text(h.stream_id) +
                    " after we reset it exceeds the window it had left (" + std::to_string(it->second) + " bytes)");
  it->second -= h.length;
}

void Session::on_bytes(std::span<const uint8_t> bytes) {
  while (!failed_ && !bytes.empty()) {
    const FrameDecoder::Item item = decoder_.next(bytes);
    switch (item.kind) {
      case FrameDecoder::Item::Kind::kNeedMore:
        break;
      case FrameDecoder::Item::Kind::kHeader:
        on_header(item);
        break;
      case FrameDecoder::Item::Kind::kPayload:
        on_payload(item.payload);
        break;
    }
    if (item.frame_end && !failed_) on_frame_end();
  }
  maybe_auto_ping();
}

void Session::on_header(const FrameDecoder::Item& item) {
  current_ = item.header;
  current_offset_ = item.frame_offset;
  payload_left_ = current_.type == FrameType::kData ? current_.length : 0;
  if (current_.version != kVersion)
    return fail(GoAwayCode::kProtocolError,
                "unsupported version " + std::to_string(current_.version));
  switch (current_.type) {
    case FrameType::kData:
    case FrameType::kWindowUpdate:
      return on_stream_header(current_);
    case FrameType::kPing:
      return on_ping(current_);
    case FrameType::kGoAway:
      return on_go_away(current_);
  }
  fail(GoAwayCode::kProtocolError,
       "unknown frame type " + std::to_string(static_cast<unsigned>(current_.type)));
}

void Session::on_stream_header(const FrameHeader& h) {
  const bool data = h.type == FrameType::kData;
  if (h.stream_id == 0)
    return fail(GoAwayCode::kProtocolError,
                std::string(type_name(h.type)) + " frame on session stream 0");
  if (data && h.length > config_.max_window)
    return fail(GoAwayCode::kProtocolError,
                "data frame of " + std::to_string(h.length) + " bytes on " +
                    stream_text(h.stream_id) + " is larger than the maximum window of " +
                    std::to_string(config_.max_window) + " bytes");
  Stream* s = nullptr;
  if (h.flags & kFlagSyn) {
    s = accept_inbound(h);
    if (failed_) return;
  } else {
    s = find(h.stream_id);
    if (s == nullptr && !was_opened(h.stream_id))
      return fail(GoAwayCode::kProtocolError, std::string(type_name(h.type)) + " frame for " +
                                                  stream_text(h.stream_id) +
                                                  " which was never opened");
  }
  if (s == nullptr) {  // a stream already closed or refused: its payload is discarded, within its window
    if (data) charge_closed_stream(h);
    return;
  }

  if ((h.flags & kFlagAck) && s->outbound && !s->acked) {
    s->acked = true;
    --ack_backlog_;
    note_open_capacity();
  }
  if (!data) {
    const uint64_t window = s->send_window + h.length;
    if (window > kMaxSendWindow)
      return fail(GoAwayCode::kProtocolError, "window update of " + std::to_string(h.length) +
                                                  " overflows the send window of " +
                                                  stream_text(h.stream_id));
    s->send_window = window;
    if (s->write_blocked && window > 0 && !s->local_fin) {
      s->write_blocked = false;
      push_event(WritableAgain{h.stream_id});
    }
    return;
  }
  if (h.length > 0 && s->remote_fin)
    return fail(GoAwayCode::kProtocolError,
                "data frame after FIN on " + stream_text(h.stream_id));
  const uint32_t credit = s->recv.credit();
  if (!s->recv.on_data(h.length))
    return fail(GoAwayCode::kProtocolError,
                "data frame of " + std::to_string(h.length) + " bytes on " +
                    stream_text(h.stream_id) + " exceeds the receive window (" +
                    std::to_string(credit) + " bytes left)");
}

Session::Stream* Session::accept_inbound(const FrameHeader& h) {
  const StreamId id = h.stream_id;
  if (is_local_id(id)) {
    fail(GoAwayCode::kProtocolError,
         "SYN for " + stream_text(id) + " has the wrong parity (the peer opens " +
             (role_ == Role::kClient ? "even" : "odd") + " ids)");
    return nullptr;
  }
  if (find(id) != nullptr) {
    fail(GoAwayCode::kProtocolError, "SYN for " + stream_text(id) + " which is already open");
    return nullptr;
  }
  if (id <= last_remote_id_) {
    fail(GoAwayCode::kProtocolError, "SYN reuses stream id " + std::to_string(id) +
                                         " (the peer already opened " +
                                         std::to_string(last_remote_id_) + ")");
    return nullptr;
  }
  last_remote_id_ = id;
  if (local_go_away_) {
    append_frame(FrameType::kWindowUpdate, kFlagRst, id, 0);
    note_local_reset(id, kSpecInitialWindow);
    return nullptr;
  }
  if (inbound_count_ >= config_.max_streams) {
    fail(GoAwayCode::kProtocolError, "too many inbound streams: SYN for " + stream_text(id) +
                                         " beyond the limit of " +
                                         std::to_string(config_.max_streams));
    return nullptr;
  }
  Stream& s = add_stream(id, /*outbound=*/false);
  if (!push_event(StreamOpened{id})) return nullptr;
  send_window_update(id, s, kFlagAck, /*force=*/true);
  return &s;
}

void Session::on_payload(std::span<const uint8_t> payload) {
  payload_left_ -= static_cast<uint32_t>(payload.size());
  Stream* s = find(current_.stream_id);
  if (s == nullptr) return;
  if (s->data_event_epoch == events_epoch_) {
    auto& bytes = std::get<StreamData>(events_[s->data_event_index]).bytes;
    if (s->data_event_buffer == kNoBuffer && bytes.data() + bytes.size() == payload.data()) {
      bytes = {bytes.data(), bytes.size() + payload.size()};  // continues the viewed input
      return;
    }
    if (s->data_event_buffer != kNoBuffer && payload.size() < kMinViewBytes) {
      std::vector<uint8_t>& buffer = gathered_[s->data_event_buffer];
      buffer.insert(buffer.end(), payload.begin(), payload.end());
      bytes = buffer;
      return;
    }
  }
  const size_t index = events_.size();
  size_t buffer_index = kNoBuffer;
  std::span<const uint8_t> bytes = payload;
  if (payload.size() < kMinViewBytes) {
    buffer_index = gathered_.size();
    std::vector<uint8_t>& buffer = gathered_.emplace_back();
    if (!spare_buffers_.empty()) {
      buffer = std::move(spare_buffers_.back());
      spare_buffers_.pop_back();
    }
    buffer.assign(payload.begin(), payload.end());
    bytes = buffer;
  }
  if (!push_event(StreamData{current_.stream_id, bytes})) return;
  s->data_event_epoch = events_epoch_;
  s->data_event_index = index;
  s->data_event_buffer = buffer_index;
}

void Session::on_frame_end() {
  if (current_.type != FrameType::kData && current_.type != FrameType::kWindowUpdate) return;
  const StreamId id = current_.stream_id;
  Stream* s = find(id);
  if (s == nullptr) return;
  if (current_.flags & kFlagRst) {
    remove_stream(id);
    push_event(StreamReset{id});
    return;
  }
  if ((current_.flags & kFlagFin) && !s->remote_fin) {
    s->remote_fin = true;
    const bool done = s->local_fin;
    if (done) remove_stream(id);
    push_event(StreamFinished{id});
  }
}

void Session::on_ping(const FrameHeader& h) {
  if (h.stream_id != 0)
    return fail(GoAwayCode::kProtocolError,
                "ping frame on " + stream_text(h.stream_id) + " instead of session stream 0");
  if (h.flags & kFlagSyn) {
    append_frame(FrameType::kPing, kFlagAck, 0, h.length);
  } else if ((h.flags & kFlagAck) && ping_outstanding_ == h.length) {
    ping_outstanding_.reset();
    rtt_ = config_.clock() - *last_ping_sent_;
    push_event(PingRtt{h.length, *rtt_});
  }
}

void Session::on_go_away(const FrameHeader& h) {
  if (h.stream_id != 0)
    return fail(GoAwayCode::kProtocolError,
                "go away frame on " + stream_text(h.stream_id) + " instead of session stream 0");
  if (remote_go_away_) return;
  remote_go_away_ = true;
  push_event(GoAwayReceived{h.length});
}

OpenResult Session::open_stream() {
  if (failed_) return {0, OpenError::kSessionFailed};
  if (local_go_away_ || remote_go_away_) return {0, OpenError::kGoingAway};
  if (next_local_id_ > kMaxStreamId) return {0, OpenError::kIdsExhausted};
  if (outbound_count_ >= config_.max_streams) {
    open_blocked_ = true;
    return {0, OpenError::kTooManyStreams};
  }
  if (ack_backlog_ >= config_.max_ack_backlog) {
    open_blocked_ = true;
    return {0, OpenError::kAckBacklogFull};
  }
  const auto id = static_cast<StreamId>(next_local_id_);
  next_local_id_ += 2;
  Stream& s = add_stream(id, /*outbound=*/true);
  send_window_update(id, s, kFlagSyn, /*force=*/true);
  maybe_auto_ping();
  return {id, OpenError::kNone};
}

size_t Session::write(StreamId id, std::span<const uint8_t> data) {
  size_t total = 0;
  while (total < data.size()) {
    const size_t n = write_header(id, data.size() - total);
    if (n == 0) break;
    const auto chunk = data.subspan(total, n);
    out_.insert(out_.end(), chunk.begin(), chunk.end());
    total += n;
  }
  return total;
}

size_t Session::write_header(StreamId id, size_t length) {
  Stream* s = failed_ ? nullptr : find(id);
  if (s == nullptr || s->local_fin || length == 0) return 0;
  const size_t want = std::min<size_t>(length, config_.max_frame_payload);
  const auto n = static_cast<size_t>(std::min<uint64_t>(want, s->send_window));
  if (n < length && n == s->send_window) s->write_blocked = true;
  if (n == 0) return 0;
  append_frame(FrameType::kData, 0, id, static_cast<uint32_t>(n));
  s->send_window -= n;
  return n;
}

bool Session::close_write(StreamId id) {
  Stream* s = failed_ ? nullptr : find(id);
  if (s == nullptr || s->local_fin) return false;
  append_frame(FrameType::kWindowUpdate, kFlagFin, id, 0);
  s->local_fin = true;
  if (s->remote_fin) remove_stream(id);
  return true;
}

bool Session::reset(StreamId id) {
  Stream* s = failed_ ? nullptr : find(id);
  if (s == nullptr) return false;
  append_frame(FrameType::kWindowUpdate, kFlagRst, id, 0);
  if (!s->remote_fin) note_local_reset(id, s->recv.credit());
  remove_stream(id);
  return true;
}

void Session::consume(StreamId id, size_t n) {
  Stream* s = failed_ ? nullptr : find(id);
  if (s == nullptr) return;
  s->recv.consume(n);
  if (!s->remote_fin) send_window_update(id, *s, 0, /*force=*/false);
}

uint32_t Session::ping() {
  if (failed_) return 0;
  ping_counter_ = ping_counter_ == 0xffffffffu ? 1 : ping_counter_ + 1;
  ping_outstanding_ = ping_counter_;
  last_ping_sent_ = config_.clock();
  append_frame(FrameType::kPing, kFlagSyn, 0, ping_counter_);
  return ping_counter_;
}

void Session::go_away(GoAwayCode code) {
  if (failed_ || local_go_away_) return;
  local_go_away_ = true;
  append_frame(FrameType::kGoAway, 0, 0, static_cast<uint32_t>(code));
}

std::vector<uint8_t> Session::take_output() { return std::exchange(out_, {}); }

std::vector<Event> Session::take_events() {
  ++events_epoch_;
  for (std::vector<uint8_t>& buffer : handed_) {
    if (spare_buffers_.size() >= kMaxSpareBuffers || buffer.capacity() > kMaxSpareCapacity) continue;
    buffer.clear();
    spare_buffers_.push_back(std::move(buffer));
  }
  handed_.clear();
  std::swap(handed_, gathered_);
  return std::exchange(events_, {});
}

bool Session::is_open(StreamId id) const { return find(id) != nullptr; }

uint64_t Session::send_window(StreamId id) const {
  const Stream* s = find(id);
  return s == nullptr ? 0 : s->send_window;
}

uint32_t Session::receive_window(StreamId id) const {
  const Stream* s = find(id);
  return s == nullptr ? 0 : s->recv.window();
}

void Session::append_frame(FrameType type, uint16_t flags, StreamId id, uint32_t length) {
  append_header(out_, FrameHeader{kVersion, type, flags, id, length});
}

void Session::send_window_update(StreamId id, Stream& s, uint16_t flags, bool force) {
  const uint64_t budget =
      config_.max_session_window > window_total_ ? config_.max_session_window - window_total_ : 0;
  const uint32_t before = s.recv.window();
  const uint32_t delta =
      s.recv.next_update(config_.clock(), rtt_, config_.max_window, budget, force);
  window_total_ += s.recv.window() - before;
  if (delta > 0 || flags != 0) append_frame(FrameType::kWindowUpdate, flags, id, delta);
}

void Session::maybe_auto_ping() {
  if (failed_ || config_.ping_interval.count() == 0) return;
  if (last_ping_sent_ && config_.clock() - *last_ping_sent_ < config_.ping_interval) return;
  ping();
}

void Session::note_open_capacity() {
  if (!open_blocked_ || failed_ || outbound_count_ >= config_.max_streams ||
      ack_backlog_ >= config_.max_ack_backlog)
    return;
  open_blocked_ = false;
  push_event(OpenAvailable{});
}

bool Session::push_event(Event event) {
  if (failed_) return false;
  if (events_.size() >= config_.max_events) {
    fail(GoAwayCode::kInternalError,
         "event queue full: " + std::to_string(events_.size()) + " events not taken");
    return false;
  }
  events_.push_back(std::move(event));
  return true;
}

void Session::fail(GoAwayCode code, std::string what) {
  if (failed_) return;
  failed_ = true;
  std::string message = "yamux: " + std::move(what);
  if (code == GoAwayCode::kProtocolError)
    message += " (frame at byte " + std::to_string(current_offset_) + ")";
  events_.push_back(SessionError{code, std::move(message)});
  append_frame(FrameType::kGoAway, 0, 0, static_cast<uint32_t>(code));
}

}  // namespace prowl::yamux
