#include "host/swarm/connection.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <type_traits>
#include <utility>
#include <variant>

#include "host/swarm/deadline.h"
#include "host/swarm/yamux_stream.h"

namespace prowl::swarm {
namespace {

namespace asio = boost::asio;

// One read takes this much from the transport.
constexpr size_t kReadBytes = 256 * 1024;
// Stream writers wait while this much plaintext waits for the writer.
constexpr size_t kOutputHighWater = 1 << 20;

yamux::Config session_config(const Connection::Options& options) {
  yamux::Config config;
  config.max_streams = static_cast<uint32_t>(options.max_streams);
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
  std::vector<uint8_t> buffer(kReadBytes);
  std::vector<uint8_t> plain;
  plain.reserve(kReadBytes);
  std::string error;
  try {
    if (!self->early_data_.empty()) {
      self->session_.on_bytes(self->early_data_);
      self->early_data_ = {};
      self->dispatch_events();
    }
    while (self->open_) {
      const size_t n = co_await self->stream_->read_some(buffer);
      if (!self->open_) break;
      if (n == 0) {
        self->close("closed by the peer");
        break;
      }
      plain.clear();
      const bool ok = self->channel_.decrypt(std::span(buffer).first(n), plain, &error);
      self->session_.on_bytes(plain);
      self->dispatch_events();
      if (!ok) self->close("noise: " + error);
    }
  } catch (const std::exception& e) {
    self->close(e.what());
  }
}

asio::awaitable<void> Connection::write_loop(std::shared_ptr<Connection> self) {
  std::string error;
  try {
    while (self->open_) {
      if (self->session_.pending_output().empty()) {
        co_await self->output_ready_.wait();
        continue;
      }
      self->batch_.clear();
      std::swap(self->batch_, self->session_.pending_output());
      const size_t sealed = noise::SecureChannel::sealed_size(self->batch_.size());
      if (self->wire_.size() < sealed) self->wire_.resize(sealed);
      const std::span<uint8_t> wire = std::span(self->wire_).first(sealed);
      if (!self->channel_.seal(self->batch_, wire, &error)) {
        self->close("noise: " + error);
        break;
      }
      self->writing_ = true;
      self->drained_.notify();
      co_await self->stream_->write_all(wire);
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
            auto stream = std::make_shared<YamuxStream>(shared_from_this(), e.id, /*outbound=*/false);
            streams_[e.id] = stream.get();
            on_inbound_(std::move(stream));
          } else if constexpr (std::is_same_v<E, yamux::StreamData>) {
            if (auto it = streams_.find(e.id); it != streams_.end()) {
              it->second->on_data(std::move(e.bytes));
            } else {  // nobody will read it: keep the window open and drop it
              session_.consume(e.id, e.bytes.size());
              session_.recycle(std::move(e.bytes));
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
            flush();
            close(e.message);
          } else {
            static_assert(std::is_same_v<E, yamux::PingRtt> || std::is_same_v<E, yamux::GoAwayReceived>);
            open_available_.notify();  // a GoAway makes waiting openers fail
          }
        },
        event);
  }
  flush();
}

void Connection::flush() noexcept {
  if (!session_.pending_output().empty()) output_ready_.notify();
}

asio::awaitable<std::shared_ptr<YamuxStream>> Connection::open_stream() {
  for (;;) {
    if (!open_) throw StreamError("connection to " + remote_.to_string() + " closed: " + close_reason_);
    if (streams_.size() >= options_.max_streams)
      throw StreamError("stream limit of " + std::to_string(options_.max_streams) + " per connection reached");
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
  if (!open_) co_return;
  auto self = shared_from_this();
  Deadline deadline(executor_, options_.close_timeout,
                    [weak = weak_from_this()] {
                      if (auto connection = weak.lock()) connection->close("graceful close timed out");
                    });
  session_.go_away(yamux::GoAwayCode::kNormal);
  flush();
  while (open_ && (writing_ || !session_.pending_output().empty())) co_await drained_.wait();
  close("closed locally");
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
  if (!open_) return 0;
  const size_t n = session_.write(id, data);
  flush();
  return n;
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

void Connection::recycle(std::vector<uint8_t>&& buffer) { session_.recycle(std::move(buffer)); }

bool Connection::output_full() const noexcept { return session_.pending_output().size() >= kOutputHighWater; }

asio::awaitable<void> Connection::wait_output_drained() {
  if (open_) co_await drained_.wait();
}

void Connection::forget(YamuxStream& stream) noexcept {
  streams_.erase(stream.id());
  if (auto it = counted_.find(stream.id()); it != counted_.end()) {
    if (auto p = inbound_protocols_.find(it->second); p != inbound_protocols_.end() && --p->second == 0)
      inbound_protocols_.erase(p);
    counted_.erase(it);
  }
  if (streams_.empty()) idle_since_ = std::chrono::steady_clock::now();
}

}  // namespace prowl::swarm
