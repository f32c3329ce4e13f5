#include "host/swarm/connection.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <cstring>
#include <type_traits>
#include <utility>
#include <variant>

#include "host/base/log/log.h"
#include "host/swarm/deadline.h"
#include "host/swarm/yamux_stream.h"

namespace prowl::swarm {
namespace {

namespace asio = boost::asio;

// The frames handled after one read, the incomplete one left from the
// previous read included, span at most this much: as large as a stream
// reader's buffer typically is, so that their payload fits into the waiting
// reader's buffer and is decrypted straight into it, never copied ...
constexpr size_t kReadBytes = 256 * 1024;
// ... from a buffer this large (the incomplete frame is moved to the front
// only when room runs short).
constexpr size_t kReadBufferBytes = 2 * kReadBytes;
// Stream writers wait while this many sealed bytes wait for the writer.
constexpr size_t kOutputHighWater = 1 << 20;

yamux::Config session_config(const Connection::Options& options) {
  yamux::Config config;
  config.max_streams = static_cast<uint32_t>(options.max_streams);
  config.initial_window = options.initial_window;
  config.max_window = options.max_window;
  config.max_session_window = options.max_session_window;
  config.max_ack_backlog = options.max_ack_backlog;
  return config;
}

}  // namespace

Connection::Connection(asio::any_io_executor executor, std::unique_ptr<transport::ByteStream> stream,
                       noise::SecureChannel channel, std::vector<uint8_t> early_data, identity::PeerId remote,
                       bool outbound, Options options)
    : executor_(executor),
      stream_(std::move(stream)),
      channel_(std::move(channel)),
      early_data_(std::move(early_data)),
      remote_(std::move(remote)),
      outbound_(outbound),
      options_(options),
      session_(outbound ? yamux::Role::kClient : yamux::Role::kServer, session_config(options)),
      router_([this](yamux::StreamId id) {
        const auto it = streams_.find(id);
        return it == streams_.end() ? std::span<uint8_t>() : it->second->read_room();
      }),
      output_ready_(executor),
      drained_(executor),
      open_available_(executor),
      idle_timer_(executor),
      idle_since_(std::chrono::steady_clock::now()) {}

Connection::~Connection() { stream_->close(); }

void Connection::start(InboundHandler on_inbound, ClosedHandler on_closed) {
  on_inbound_ = std::move(on_inbound);
  on_closed_ = std::move(on_closed);
  asio::co_spawn(executor_, read_loop(shared_from_this()), asio::detached);
  asio::co_spawn(executor_, write_loop(shared_from_this()), asio::detached);
  asio::co_spawn(executor_, idle_loop(shared_from_this()), asio::detached);
}

asio::awaitable<void> Connection::read_loop(std::shared_ptr<Connection> self) {
  // Noise frames are decrypted where they were read, or straight into the
  // buffer of a waiting reader; Yamux sees views of the plaintext, and the
  // streams copy what is not yet in a reader's buffer before the next read.
  std::vector<uint8_t> buffer(kReadBufferBytes);
  size_t begin = 0;  // [begin, end): an incomplete frame awaiting more bytes
  size_t end = 0;
  std::string error;
  try {
    if (!self->early_data_.empty()) {
      self->router_.skip(self->early_data_);
      self->session_.on_bytes(self->early_data_);
      self->dispatch_events();
      self->early_data_ = {};
    }
    while (self->open_) {
      if (begin == end) {
        begin = end = 0;
      } else if (buffer.size() - end < kReadBytes) {
        std::memmove(buffer.data(), buffer.data() + begin, end - begin);
        end -= begin;
        begin = 0;
      }
      const size_t want = kReadBytes - (end - begin);  // an incomplete frame is < 64 KiB
      const size_t n = co_await self->stream_->read_some(std::span(buffer).subspan(end, want));
      if (!self->open_) break;
      if (n == 0) {
        self->close("closed by the peer");
        break;
      }
      end += n;
      std::span<uint8_t> in = std::span(buffer).subspan(begin, end - begin);
      const bool ok = self->open_frames(in, &error);
      begin = end - in.size();
      self->dispatch_events();  // what the good frames before a bad one carried stays readable
      if (!ok) {  // our direction still works: tell the peer before closing
        self->close_with_go_away(yamux::GoAwayCode::kProtocolError, "noise: " + error);
        break;
      }
    }
  } catch (const std::exception& e) {
    self->close(e.what());
  }
}

bool Connection::open_frames(std::span<uint8_t>& in, std::string* error) {
  for (;;) {
    const noise::SecureChannel::Begun frame = channel_.begin_open(in, error);
    if (frame.status == noise::SecureChannel::Opened::Status::kNeedMore) return true;
    if (frame.status == noise::SecureChannel::Opened::Status::kFailed) return false;
    opened_.clear();
    for (std::span<uint8_t> body = frame.ciphertext; !body.empty();) {
      const std::span<uint8_t> out = router_.route(body, frame.ciphertext.size() - body.size());
      channel_.open_part(body.first(out.size()), out);
      router_.routed(out);
      if (!opened_.empty() && opened_.back().data() + opened_.back().size() == out.data()) {
        opened_.back() = {opened_.back().data(), opened_.back().size() + out.size()};
      } else {
        opened_.push_back(out);
      }
      body = body.subspan(out.size());
    }
    if (!channel_.finish_open(error)) return false;
    for (const std::span<const uint8_t> piece : opened_) session_.on_bytes(piece);
  }
}

asio::awaitable<void> Connection::write_loop(std::shared_ptr<Connection> self) {
  try {
    while (self->open_) {
      if (!self->seal_control()) break;
      if (self->sealed_.size == 0) {
        co_await self->output_ready_.wait();
        continue;
      }
      std::swap(self->sealed_, self->writing_buffer_);
      self->sealed_.size = 0;
      self->sealed_control_ = 0;
      self->writing_ = true;
      self->drained_.notify();  // writers may fill sealed_ while this batch goes out
      co_await self->stream_->write_all(std::span(self->writing_buffer_.bytes).first(self->writing_buffer_.size));
      self->writing_ = false;
      self->drained_.notify();
    }
  } catch (const std::exception& e) {
    self->writing_ = false;
    self->close(e.what());
  }
}

asio::awaitable<void> Connection::idle_loop(std::shared_ptr<Connection> self) {
  while (self->open_) {
    self->idle_timer_.expires_at(self->idle_since_ + self->options_.idle_timeout);
    co_await self->idle_timer_.async_wait(asio::as_tuple(asio::use_awaitable));
    if (!self->open_) break;
    const auto now = std::chrono::steady_clock::now();
    if (!self->streams_.empty()) {
      self->idle_since_ = now;  // busy: look again a full period later
    } else if (now >= self->idle_since_ + self->options_.idle_timeout) {
      co_await self->close_gracefully();
    }
  }
}

void Connection::dispatch_events() {
  for (yamux::Event& event : session_.take_events()) {
    std::visit(
        [this](auto& e) {
          using E = std::decay_t<decltype(e)>;
          if constexpr (std::is_same_v<E, yamux::StreamOpened>) {
            if (!open_ || streams_.size() >= options_.max_streams || !on_inbound_) {
              session_.reset(e.id);
              return;
            }
            if (negotiating_count() >= options_.max_negotiating_streams) {
              log::get_logger("swarm")->debug("refusing stream {} from {}: {} streams still negotiate (limit {})",
                                              e.id, remote_.to_string(), negotiating_count(),
                                              options_.max_negotiating_streams);
              session_.reset(e.id);
              return;
            }
            auto stream = std::make_shared<YamuxStream>(shared_from_this(), e.id, /*outbound=*/false);
            streams_[e.id] = stream.get();
            ++inbound_live_;
            on_inbound_(std::move(stream));
          } else if constexpr (std::is_same_v<E, yamux::StreamData>) {
            if (auto it = streams_.find(e.id); it != streams_.end()) {
              it->second->on_data(e.bytes);
            } else {  // nobody will read it: keep the window open and drop it
              session_.consume(e.id, e.bytes.size());
            }
          } else if constexpr (std::is_same_v<E, yamux::StreamFinished>) {
            if (auto it = streams_.find(e.id); it != streams_.end()) it->second->on_fin();
          } else if constexpr (std::is_same_v<E, yamux::StreamReset>) {
            if (auto it = streams_.find(e.id); it != streams_.end()) it->second->on_reset();
          } else if constexpr (std::is_same_v<E, yamux::WritableAgain>) {
            if (auto it = streams_.find(e.id); it != streams_.end()) it->second->on_writable();
          } else if constexpr (std::is_same_v<E, yamux::OpenAvailable>) {
            open_available_.notify();
          } else if constexpr (std::is_same_v<E, yamux::SessionError>) {
            // The session queued GoAway(e.code): send it before closing.
            close_with_go_away(e.code, e.message);
          } else {
            static_assert(std::is_same_v<E, yamux::PingRtt> || std::is_same_v<E, yamux::GoAwayReceived>);
            open_available_.notify();  // a GoAway makes waiting openers fail
          }
        },
        event);
  }
  router_.delivered();
  flush();
}

std::span<uint8_t> Connection::WireBuffer::extend(size_t n) {
  if (bytes.size() < size + n) bytes.resize(std::max(size + n, 2 * bytes.size()));
  const std::span<uint8_t> added = std::span(bytes).subspan(size, n);
  size += n;
  return added;
}

bool Connection::seal(std::span<const std::span<const uint8_t>> parts) {
  size_t total = 0;
  for (const auto& part : parts) total += part.size();
  std::string error;
  if (channel_.seal_gather(parts, sealed_.extend(noise::SecureChannel::sealed_size(total)), &error)) return true;
  close("noise: " + error);
  return false;
}

bool Connection::seal_control() {
  std::vector<uint8_t>& control = session_.pending_output();
  if (control.empty()) return true;
  const std::span<const uint8_t> parts[] = {control};
  if (!seal(parts)) return false;
  sealed_control_ += control.size();
  control.clear();
  return true;
}

void Connection::flush() noexcept {
  if (open_ && queued_control_bytes() > options_.max_queued_control_bytes) {
    // Replies to a peer that sends but does not read (a ping flood) would
    // queue without end. Its pipe is full, so a GoAway could not reach it.
    const std::string reason = "the peer does not read: " + std::to_string(queued_control_bytes()) +
                               " bytes of Yamux control frames queued for it exceed the limit of " +
                               std::to_string(options_.max_queued_control_bytes) +
                               " (network.limits.max_queued_control_bytes)";
    log::get_logger("swarm")->warn("closing the connection to {}: {}", remote_.to_string(), reason);
    close(reason);
    return;
  }
  if (!session_.pending_output().empty() || sealed_.size > 0) output_ready_.notify();
}

asio::awaitable<std::shared_ptr<YamuxStream>> Connection::open_stream() {
  for (;;) {
    if (!open_) throw StreamError("connection to " + remote_.to_string() + " closed: " + close_reason_);
    if (streams_.size() >= options_.max_streams)
      throw StreamError("stream limit of " + std::to_string(options_.max_streams) + " per connection reached",
                        StatusCode::kLimit);
    const yamux::OpenResult result = session_.open_stream();
    if (result.ok()) {
      auto stream = std::make_shared<YamuxStream>(shared_from_this(), result.id, /*outbound=*/true);
      streams_[result.id] = stream.get();
      flush();
      co_return stream;
    }
    if (result.error != yamux::OpenError::kAckBacklogFull && result.error != yamux::OpenError::kTooManyStreams)
      throw StreamError(std::string("cannot open a stream to ") + remote_.to_string() + ": " +
                        yamux::to_string(result.error));
    co_await open_available_.wait();
  }
}

asio::awaitable<void> Connection::close_gracefully() {
  co_await finish(shared_from_this(), yamux::GoAwayCode::kNormal, "closed locally");
}

void Connection::close_with_go_away(yamux::GoAwayCode code, std::string reason) {
  if (!open_) return;
  if (code != yamux::GoAwayCode::kNormal)
    log::get_logger("swarm")->info("ending the session with {}: {}", remote_.to_string(), reason);
  asio::co_spawn(executor_, finish(shared_from_this(), code, std::move(reason)), asio::detached);
}

asio::awaitable<void> Connection::finish(std::shared_ptr<Connection> self, yamux::GoAwayCode code,
                                         std::string reason) {
  if (!self->open_) co_return;
  Deadline deadline(self->executor_, self->options_.close_timeout,
                    [weak = std::weak_ptr<Connection>(self), reason] {
                      if (auto connection = weak.lock())
                        connection->close(reason + " (the GoAway was not flushed in time)");
                    });
  self->session_.go_away(code);  // a failed session queued its own
  self->flush();
  while (self->open_ && (self->writing_ || !self->session_.pending_output().empty() || self->sealed_.size > 0))
    co_await self->drained_.wait();
  self->close(reason);
}

void Connection::close(const std::string& reason) noexcept {
  if (!open_) return;
  auto self = shared_from_this();
  open_ = false;
  close_reason_ = reason;
  stream_->close();
  idle_timer_.cancel();
  std::vector<YamuxStream*> streams;
  for (auto& [id, stream] : streams_) streams.push_back(stream);
  for (YamuxStream* stream : streams) stream->on_connection_closed(reason);
  output_ready_.notify();
  drained_.notify();
  open_available_.notify();
  if (auto on_closed = std::move(on_closed_)) on_closed(*this, reason);
  on_inbound_ = nullptr;
}

bool Connection::admit_inbound(YamuxStream& stream, size_t limit) {
  auto it = inbound_protocols_.find(stream.protocol());
  if (it != inbound_protocols_.end() && it->second >= limit) return false;
  ++inbound_protocols_[stream.protocol()];
  counted_[stream.id()] = stream.protocol();
  return true;
}

size_t Connection::inbound_count(std::string_view protocol) const {
  auto it = inbound_protocols_.find(protocol);
  return it == inbound_protocols_.end() ? 0 : it->second;
}

size_t Connection::write(yamux::StreamId id, std::span<const uint8_t> data) {
  // Each Yamux header goes out with the control frames queued before it and
  // as much payload as ends the Noise frame exactly; the payload is sealed
  // straight from the caller's buffer.
  std::vector<uint8_t>& control = session_.pending_output();
  size_t total = 0;
  while (open_ && total < data.size() && (total == 0 || sealed_.size < kOutputHighWater)) {
    const size_t used = (control.size() + yamux::kHeaderSize) % noise::SecureChannel::kMaxPlaintextPerFrame;
    const size_t room = noise::SecureChannel::kMaxPlaintextPerFrame - used;
    const size_t n = session_.write_header(id, std::min(room, data.size() - total));
    if (n == 0) break;
    const std::span<const uint8_t> parts[] = {control, data.subspan(total, n)};
    if (!seal(parts)) break;
    sealed_control_ += control.size();
    control.clear();
    total += n;
  }
  flush();
  return total;
}

bool Connection::stream_writable(yamux::StreamId id) const {
  return open_ && session_.is_open(id) && !session_.failed();
}

void Connection::close_write(yamux::StreamId id) {
  if (!open_) return;
  session_.close_write(id);
  flush();
}

void Connection::reset_stream(yamux::StreamId id) {
  if (!open_) return;
  if (session_.reset(id)) flush();
}

void Connection::consume(yamux::StreamId id, size_t n) {
  if (!open_) return;
  session_.consume(id, n);
  flush();
}

bool Connection::output_full() noexcept { return sealed_.size >= kOutputHighWater; }

asio::awaitable<void> Connection::wait_output_drained() {
  if (open_) co_await drained_.wait();
}

void Connection::forget(YamuxStream& stream) noexcept {
  streams_.erase(stream.id());
  if (!stream.outbound()) --inbound_live_;
  if (auto it = counted_.find(stream.id()); it != counted_.end()) {
    if (auto p = inbound_protocols_.find(it->second); p != inbound_protocols_.end() && --p->second == 0)
      inbound_protocols_.erase(p);
    counted_.erase(it);
  }
  if (streams_.empty()) idle_since_ = std::chrono::steady_clock::now();
}

}  // namespace prowl::swarm
