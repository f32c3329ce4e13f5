#include "host/plugin_host/net/plugin_net.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>

#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "host/plugin_host/internal/call_guard.h"
#include "host/services/rr/request_response.h"
#include "host/swarm/swarm.h"

namespace prowl::plugin_net {
namespace asio = boost::asio;
using plugins::call_plugin;
using plugins::CallResult;
using plugins::failure;
using plugins::PluginContext;
using plugins::RegistrationKind;

namespace {

constexpr std::string_view kReservedPrefix = "/prowl/rr/";
constexpr size_t kUnlimited = SIZE_MAX;

/// Handles are ids, never addresses: a stale or forged one is only unknown.
template <class Handle>
Handle* handle_of(uint64_t id) noexcept {
  return reinterpret_cast<Handle*>(static_cast<uintptr_t>(id));
}
template <class Handle>
uint64_t id_of(Handle* handle) noexcept {
  return static_cast<uint64_t>(reinterpret_cast<uintptr_t>(handle));
}

}  // namespace

class PluginNet::Impl : public std::enable_shared_from_this<Impl> {
 public:
  /// One plugin stream. Fields are guarded by Impl::mutex_.
  struct Stream {
    uint64_t id = 0;  ///< the registration's id in its plugin's context
    PluginContext* ctx = nullptr;
    prowl_stream_callbacks callbacks{};
    void* user = nullptr;
    std::shared_ptr<swarm::Stream> stream;
    std::deque<std::vector<uint8_t>> queue;
    size_t queued = 0;
    bool writing = false;
    bool close_requested = false;
    bool write_closed = false;
    bool remote_finished = false;
    bool want_writable = false;
    bool done = false;
  };
  struct Listener {
    PluginContext* ctx = nullptr;
    uint64_t registration = 0;
    prowl_stream_callbacks callbacks{};
    void* user = nullptr;
  };
  struct Served {
    PluginContext* ctx = nullptr;
    uint64_t registration = 0;
    prowl_rr_handler_fn handler = nullptr;
    void* user = nullptr;
  };
  struct Inbound {
    PluginContext* ctx = nullptr;
    rr::Responder responder;
  };
  struct Outbound {
    PluginContext* ctx = nullptr;
    prowl_rr_callbacks callbacks{};
    void* user = nullptr;
  };

  Impl(asio::any_io_executor executor, swarm::Swarm& swarm, rr::RequestResponse& rr, PluginNetConfig config)
      : executor_(std::move(executor)), swarm_(swarm), rr_(rr), config_(config),
        local_(swarm.local_peer().to_string()) {
    for (const auto& protocol : swarm.protocols()) reserved_.insert(protocol);
    for (const auto& connection : swarm.connections()) ++peers_[connection.peer.to_string()];
  }

  void watch_connections() {
    std::weak_ptr<Impl> weak = shared_from_this();
    swarm_.add_observer([weak](const swarm::ConnectionInfo& info, bool established) {
      auto self = weak.lock();
      if (!self) return;
      const std::string peer = info.peer.to_string();
      PeerEvents events;
      std::optional<prowl_role_event_type> event;
      {
        std::lock_guard lock(self->mutex_);
        if (established) {
          if (++self->peers_[peer] == 1) event = PROWL_ROLE_EVENT_PEER_CONNECTED;
        } else if (auto it = self->peers_.find(peer); it != self->peers_.end() && --it->second == 0) {
          self->peers_.erase(it);
          event = PROWL_ROLE_EVENT_PEER_DISCONNECTED;
        }
        events = self->peer_events_;
      }
      if (event && events) events(*event, peer);
    });
  }

  // ---- streams ----

  /// A new stream record for `ctx`, or nullptr at the plugin's limit. Locked.
  std::shared_ptr<Stream> add_stream(PluginContext& ctx, const prowl_stream_callbacks& callbacks, void* user) {
    auto id = ctx.registrations().add_for(RegistrationKind::kStream, config_.max_streams_per_plugin, weak_from_this(),
                                             &Impl::end_stream);
    if (!id) return nullptr;
    auto s = std::make_shared<Stream>();
    s->id = *id;
    s->ctx = &ctx;
    s->callbacks = callbacks;
    s->user = user;
    streams_[s->id] = s;
    return s;
  }

  /// Ends a stream once: reset unless clean, then on_close. On the executor.
  void finish(const std::shared_ptr<Stream>& s, int32_t status, const std::string& message) {
    {
      std::lock_guard lock(mutex_);
      if (s->done) return;
      s->done = true;
      streams_.erase(s->id);
      s->ctx->registrations().remove(s->id);
    }
    if (s->stream && status != PROWL_OK) s->stream->reset();
    auto* handle = handle_of<prowl_stream>(s->id);
    call_plugin([&] { s->callbacks.on_close(s->user, handle, status, message.c_str()); });
  }

  /// Runs one callback of a live stream; a throwing callback resets the stream.
  template <class F>
  void deliver(const std::shared_ptr<Stream>& s, F&& f) {
    {
      std::lock_guard lock(mutex_);
      if (s->done) return;
    }
    if (!call_plugin([&] { f(handle_of<prowl_stream>(s->id)); }))
      finish(s, PROWL_ERR_INTERNAL, "a callback of plugin '" + s->ctx->name() + "' threw; stream reset");
  }

  void maybe_close(const std::shared_ptr<Stream>& s) {
    bool clean;
    {
      std::lock_guard lock(mutex_);
      clean = s->remote_finished && s->write_closed && s->queue.empty();
    }
    if (clean) finish(s, PROWL_OK, "");
  }

  /// Announces the stream, then reads it until its end. On the executor.
  static asio::awaitable<void> run_stream(std::shared_ptr<Impl> self, std::shared_ptr<Stream> s) {
    const std::string peer = s->stream->remote_peer().to_string();
    const std::string protocol = s->stream->protocol();
    self->deliver(s, [&](prowl_stream* h) { s->callbacks.on_open(s->user, h, peer.c_str(), protocol.c_str()); });
    std::vector<uint8_t> buffer(self->config_.read_chunk_bytes);
    std::string error;
    try {
      for (;;) {
        const size_t n = co_await s->stream->read_some(buffer);
        if (n == 0) break;
        self->deliver(s, [&](prowl_stream* h) { s->callbacks.on_data(s->user, h, buffer.data(), n); });
      }
    } catch (const std::exception& e) {
      error = e.what();
    }
    if (!error.empty()) co_return self->finish(s, PROWL_ERR_CLOSED, error);
    {
      std::lock_guard lock(self->mutex_);
      s->remote_finished = true;
    }
    if (s->callbacks.on_finish != nullptr)
      self->deliver(s, [&](prowl_stream* h) { s->callbacks.on_finish(s->user, h); });
    self->maybe_close(s);
  }

  /// Writes the queue, then FIN when asked. One per stream at a time.
  static asio::awaitable<void> drain(std::shared_ptr<Impl> self, std::shared_ptr<Stream> s) {
    std::string error;
    try {
      for (;;) {
        std::vector<uint8_t> chunk;
        bool close = false;
        {
          std::lock_guard lock(self->mutex_);
          if (s->done) break;
          if (s->queue.empty()) {
            close = s->close_requested && !s->write_closed;
            if (!close) {
              s->writing = false;
              break;
            }
          } else {
            chunk = std::move(s->queue.front());
            s->queue.pop_front();
          }
        }
        if (close) {
          co_await s->stream->close_write();
          std::lock_guard lock(self->mutex_);
          s->write_closed = true;
          continue;
        }
        co_await s->stream->write(chunk);
        bool writable = false;
        {
          std::lock_guard lock(self->mutex_);
          s->queued -= chunk.size();
          writable = s->want_writable && s->queued == 0;
          if (writable) s->want_writable = false;
        }
        if (writable && s->callbacks.on_writable != nullptr)
          self->deliver(s, [&](prowl_stream* h) { s->callbacks.on_writable(s->user, h); });
      }
    } catch (const std::exception& e) {
      error = e.what();
    }
    if (!error.empty()) co_return self->finish(s, PROWL_ERR_CLOSED, error);
    self->maybe_close(s);
  }

  /// Starts `task` from a fresh handler: never inline in the caller (which
  /// may hold the lock, or be a plugin that must not be called back).
  void spawn(asio::awaitable<void> task) {
    asio::post(executor_, [executor = executor_, task = std::move(task)]() mutable {
      asio::co_spawn(executor, std::move(task), asio::detached);
    });
  }

  /// Starts the writer if it is idle and the stream is open. Locked.
  void kick(const std::shared_ptr<Stream>& s) {
    if (s->writing || !s->stream) return;
    s->writing = true;
    spawn(drain(shared_from_this(), s));
  }

  std::shared_ptr<Stream> find_stream(const PluginContext& ctx, prowl_stream* handle) {
    auto it = streams_.find(id_of(handle));
    if (it == streams_.end() || it->second->ctx != &ctx) return nullptr;
    return it->second;
  }

  static asio::awaitable<void> accept(std::weak_ptr<Impl> weak, std::string protocol,
                                      std::shared_ptr<swarm::Stream> stream) {
    auto self = weak.lock();
    if (!self) co_return stream->reset();
    std::shared_ptr<Stream> s;
    {
      std::lock_guard lock(self->mutex_);
      auto it = self->listeners_.find(protocol);
      if (it != self->listeners_.end()) s = self->add_stream(*it->second.ctx, it->second.callbacks, it->second.user);
      if (s) {
        s->stream = stream;
        if (!s->queue.empty() || s->close_requested) self->kick(s);
      }
    }
    if (!s) co_return stream->reset();
    co_await run_stream(self, s);
  }

  static asio::awaitable<void> open(std::shared_ptr<Impl> self, std::shared_ptr<Stream> s, rr::PeerTarget target,
                                    std::string protocol) {
    rr::OpenedStream opened = co_await rr::open_stream_to(self->swarm_, target, protocol);
    if (!opened.status.ok()) co_return self->finish(s, static_cast<int32_t>(opened.status.code()), opened.status.message());
    {
      std::lock_guard lock(self->mutex_);
      if (s->done) co_return opened.stream->reset();
      s->stream = opened.stream;
      if (!s->queue.empty() || s->close_requested) self->kick(s);
    }
    co_await run_stream(self, s);
  }

  // ---- request-response ----

  void serve_inbound(const std::string& name, const identity::PeerId& peer, std::vector<uint8_t> request,
                     rr::Responder responder) {
    Served served;
    uint64_t id = 0;
    {
      std::lock_guard lock(mutex_);
      for (auto it = inbound_.begin(); it != inbound_.end();) {
        if (it->second.responder.open()) {
          ++it;
        } else {
          it->second.ctx->registrations().remove(it->first);
          it = inbound_.erase(it);
        }
      }
      auto it = served_.find(name);
      if (it == served_.end()) {
        (void)responder.fail("nothing serves '" + name + "'");  // a fresh request: always taken
        return;
      }
      served = it->second;
      auto registered = served.ctx->registrations().add_for(RegistrationKind::kInbound, kUnlimited, weak_from_this(),
                                                            &Impl::end_inbound);
      if (!registered) return void(responder.fail("the serving plugin holds too many requests"));
      id = *registered;
      inbound_.emplace(id, Inbound{served.ctx, responder});
    }
    const std::string peer_text = peer.to_string();
    if (!call_plugin([&] {
          served.handler(served.user, handle_of<prowl_rr_request>(id), peer_text.c_str(), request.data(),
                         request.size());
        })) {
      std::lock_guard lock(mutex_);
      served.ctx->registrations().remove(id);
      if (inbound_.erase(id) != 0) (void)responder.fail("the handler of plugin '" + served.ctx->name() + "' threw");
    }
  }

  void complete_outbound(uint64_t id, rr::Reply reply) {
    Outbound out;
    {
      std::lock_guard lock(mutex_);
      auto it = outbound_.find(id);
      if (it == outbound_.end()) return;  // its plugin was released
      out = it->second;
      outbound_.erase(it);
      out.ctx->registrations().remove(id);
    }
    call_plugin([&] {
      if (reply.status.ok()) {
        out.callbacks.on_response(out.user, reply.bytes.data(), reply.bytes.size());
      } else {
        out.callbacks.on_error(out.user, static_cast<int32_t>(reply.status.code()), reply.status.message().c_str());
      }
    });
  }

  // ---- ends of registrations (their release actions); on the executor ----

  void end_stream(uint64_t id) {
    std::shared_ptr<Stream> s;
    {
      std::lock_guard lock(mutex_);
      auto it = streams_.find(id);
      if (it == streams_.end()) return;
      s = it->second;
      s->done = true;
      streams_.erase(it);
    }
    if (s->stream) s->stream->reset();
  }

  void end_listener(uint64_t id) {
    std::lock_guard lock(mutex_);
    std::erase_if(listeners_, [&](const auto& e) { return e.second.registration == id; });
  }

  void end_served(uint64_t id) {
    std::string name;
    {
      std::lock_guard lock(mutex_);
      auto it = std::find_if(served_.begin(), served_.end(), [&](const auto& e) { return e.second.registration == id; });
      if (it == served_.end()) return;
      name = it->first;
      served_.erase(it);
    }
    rr_.unserve(name);
  }

  void end_inbound(uint64_t id) {
    std::optional<rr::Responder> unanswered;
    {
      std::lock_guard lock(mutex_);
      auto it = inbound_.find(id);
      if (it == inbound_.end()) return;
      unanswered = it->second.responder;
      inbound_.erase(it);
    }
    if (unanswered->open()) (void)unanswered->fail("the serving plugin was unloaded");
  }

  void end_outbound(uint64_t id) {
    std::lock_guard lock(mutex_);
    outbound_.erase(id);
  }

  /// Ends everything of every plugin without callbacks (the bridge goes away).
  void release_all() noexcept {
    std::vector<uint64_t> ids;
    {
      std::lock_guard lock(mutex_);
      for (const auto& [id, s] : streams_) ids.push_back(id);
      for (const auto& [protocol, l] : listeners_) ids.push_back(l.registration);
      for (const auto& [name, served] : served_) ids.push_back(served.registration);
      for (const auto& [id, in] : inbound_) ids.push_back(id);
      for (const auto& [id, out] : outbound_) ids.push_back(id);
    }
    for (uint64_t id : ids) {
      end_stream(id);
      end_listener(id);
      end_served(id);
      end_inbound(id);
      end_outbound(id);
    }
  }

  asio::any_io_executor executor_;
  swarm::Swarm& swarm_;
  rr::RequestResponse& rr_;
  PluginNetConfig config_;
  const std::string local_;
  std::set<std::string, std::less<>> reserved_;  ///< the host's own protocols

  mutable std::mutex mutex_;
  std::map<std::string, size_t, std::less<>> peers_;  ///< connections per peer
  PeerEvents peer_events_;
  std::map<uint64_t, std::shared_ptr<Stream>> streams_;
  std::map<std::string, Listener, std::less<>> listeners_;
  std::set<std::string, std::less<>> swarm_protocols_;  ///< protocols given a swarm handler
  std::map<std::string, Served, std::less<>> served_;
  std::map<uint64_t, Inbound> inbound_;
  std::map<uint64_t, Outbound> outbound_;
};

PluginNet::PluginNet(asio::any_io_executor executor, swarm::Swarm& swarm, rr::RequestResponse& rr,
                     PluginNetConfig config)
    : impl_(std::make_shared<Impl>(std::move(executor), swarm, rr, config)) {
  impl_->watch_connections();
}

PluginNet::~PluginNet() { impl_->release_all(); }

void PluginNet::on_peer_events(PeerEvents events) {
  std::lock_guard lock(impl_->mutex_);
  impl_->peer_events_ = std::move(events);
}

std::optional<std::string> PluginNet::local_peer_id() const { return impl_->local_; }

CallResult PluginNet::connected_peers(prowl_writer* out) const {
  std::string text;
  {
    std::lock_guard lock(impl_->mutex_);
    for (const auto& [peer, count] : impl_->peers_) text.append(peer).push_back('\n');
  }
  size_t room = 0;
  uint8_t* p = text.empty() ? nullptr : out->reserve(out->ctx, text.size(), &room);
  if (!text.empty() && p == nullptr) return failure(PROWL_ERR_LIMIT, "connected_peers: the output limit is too small");
  if (p != nullptr) {
    std::copy(text.begin(), text.end(), p);
    out->commit(out->ctx, text.size());
  }
  return {};
}

CallResult PluginNet::stream_listen(PluginContext& ctx, std::string_view protocol,
                                    const prowl_stream_callbacks& callbacks, void* user) {
  if (callbacks.struct_size < sizeof(prowl_stream_callbacks) || callbacks.on_open == nullptr ||
      callbacks.on_data == nullptr || callbacks.on_close == nullptr)
    return failure(PROWL_ERR_INVALID_INPUT, "stream_listen: callbacks need struct_size, on_open, on_data, on_close");
  if (protocol.empty() || protocol.front() != '/' || protocol.size() > 140)
    return failure(PROWL_ERR_INVALID_INPUT, "stream_listen: protocol id '" + std::string(protocol) +
                                                "' must start with '/' and hold at most 140 bytes");
  std::lock_guard lock(impl_->mutex_);
  if (protocol.starts_with(kReservedPrefix) || impl_->reserved_.contains(protocol))
    return failure(PROWL_ERR_INVALID_INPUT, "stream_listen: protocol '" + std::string(protocol) + "' is the host's");
  if (auto it = impl_->listeners_.find(protocol); it != impl_->listeners_.end())
    return failure(PROWL_ERR_INVALID_INPUT, "stream_listen: protocol '" + std::string(protocol) +
                                                "' is already served by plugin '" + it->second.ctx->name() + "'");
  auto registration =
      ctx.registrations().add_for(RegistrationKind::kListener, kUnlimited, impl_->weak_from_this(), &Impl::end_listener);
  if (!registration) return failure(PROWL_ERR_LIMIT, "stream_listen: too many protocols served");
  impl_->listeners_.emplace(std::string(protocol), Impl::Listener{&ctx, *registration, callbacks, user});
  if (impl_->swarm_protocols_.insert(std::string(protocol)).second) {
    std::weak_ptr<Impl> weak = impl_;
    asio::post(impl_->executor_, [weak, id = std::string(protocol)] {
      auto self = weak.lock();
      if (!self) return;
      self->swarm_.set_handler(id, [weak, id](std::shared_ptr<swarm::Stream> stream) {
        return Impl::accept(weak, id, std::move(stream));
      });
    });
  }
  return {};
}

CallResult PluginNet::stream_open(PluginContext& ctx, std::string_view peer, std::string_view protocol,
                                  const prowl_stream_callbacks& callbacks, void* user) {
  if (callbacks.struct_size < sizeof(prowl_stream_callbacks) || callbacks.on_open == nullptr ||
      callbacks.on_data == nullptr || callbacks.on_close == nullptr)
    return failure(PROWL_ERR_INVALID_INPUT, "stream_open: callbacks need struct_size, on_open, on_data, on_close");
  if (protocol.empty() || protocol.front() != '/')
    return failure(PROWL_ERR_INVALID_INPUT, "stream_open: protocol id '" + std::string(protocol) + "' must start with '/'");
  std::string error;
  auto target = rr::PeerTarget::parse(peer, &error);
  if (!target) return failure(PROWL_ERR_INVALID_INPUT, "stream_open: " + error);
  std::shared_ptr<Impl::Stream> s;
  {
    std::lock_guard lock(impl_->mutex_);
    s = impl_->add_stream(ctx, callbacks, user);
  }
  if (!s)
    return failure(PROWL_ERR_LIMIT, "stream_open: plugin '" + ctx.name() + "' has " +
                                        std::to_string(impl_->config_.max_streams_per_plugin) + " streams open");
  impl_->spawn(Impl::open(impl_, s, std::move(*target), std::string(protocol)));
  return {};
}

CallResult PluginNet::stream_write(PluginContext& ctx, prowl_stream* stream, std::span<const uint8_t> data) {
  std::lock_guard lock(impl_->mutex_);
  auto s = impl_->find_stream(ctx, stream);
  if (!s) return failure(PROWL_ERR_NOT_FOUND, "stream_write: no such open stream");
  if (s->close_requested) return failure(PROWL_ERR_INVALID_INPUT, "stream_write: the stream was closed for writing");
  if (data.size() > impl_->config_.max_stream_queue_bytes - s->queued) {
    s->want_writable = true;
    return failure(PROWL_ERR_LIMIT, "stream_write: " + std::to_string(s->queued) + " bytes queued; " +
                                        std::to_string(data.size()) + " more would pass the limit of " +
                                        std::to_string(impl_->config_.max_stream_queue_bytes));
  }
  if (data.empty()) return {};
  s->queue.emplace_back(data.begin(), data.end());
  s->queued += data.size();
  impl_->kick(s);
  return {};
}

CallResult PluginNet::stream_close_write(PluginContext& ctx, prowl_stream* stream) {
  std::lock_guard lock(impl_->mutex_);
  auto s = impl_->find_stream(ctx, stream);
  if (!s) return failure(PROWL_ERR_NOT_FOUND, "stream_close_write: no such open stream");
  s->close_requested = true;
  impl_->kick(s);
  return {};
}

CallResult PluginNet::stream_reset(PluginContext& ctx, prowl_stream* stream) {
  std::shared_ptr<Impl::Stream> s;
  {
    std::lock_guard lock(impl_->mutex_);
    s = impl_->find_stream(ctx, stream);
  }
  if (!s) return failure(PROWL_ERR_NOT_FOUND, "stream_reset: no such open stream");
  asio::post(impl_->executor_, [impl = impl_, s] { impl->finish(s, PROWL_ERR_CLOSED, "reset by this plugin"); });
  return {};
}

CallResult PluginNet::rr_serve(PluginContext& ctx, std::string_view name, prowl_rr_handler_fn handler,
                               void* user) {
  if (auto bad = rr::RequestResponse::check_name(name)) return failure(PROWL_ERR_INVALID_INPUT, "rr_serve: " + *bad);
  std::lock_guard lock(impl_->mutex_);
  if (auto it = impl_->served_.find(name); it != impl_->served_.end())
    return failure(PROWL_ERR_INVALID_INPUT, "rr_serve: '" + std::string(name) + "' is already served by plugin '" +
                                                it->second.ctx->name() + "'");
  auto registration =
      ctx.registrations().add_for(RegistrationKind::kServed, kUnlimited, impl_->weak_from_this(), &Impl::end_served);
  if (!registration) return failure(PROWL_ERR_LIMIT, "rr_serve: too many names served");
  impl_->served_.emplace(std::string(name), Impl::Served{&ctx, *registration, handler, user});
  std::weak_ptr<Impl> weak = impl_;
  asio::post(impl_->executor_, [weak, id = std::string(name)] {
    auto self = weak.lock();
    if (!self) return;
    self->rr_.serve(id, [weak, id](const identity::PeerId& peer, std::vector<uint8_t> request, rr::Responder responder) {
      auto impl = weak.lock();
      if (!impl) return void(responder.fail("the host's plugin services are gone"));
      impl->serve_inbound(id, peer, std::move(request), std::move(responder));
    });
  });
  return {};
}

CallResult PluginNet::rr_respond(PluginContext& ctx, prowl_rr_request* request, std::span<const uint8_t> data) {
  std::lock_guard lock(impl_->mutex_);
  auto it = impl_->inbound_.find(id_of(request));
  if (it == impl_->inbound_.end() || it->second.ctx != &ctx || !it->second.responder.open())
    return failure(PROWL_ERR_NOT_FOUND, "rr_respond: the request was answered already or has expired");
  const size_t limit = impl_->rr_.config().max_response_bytes;
  if (data.size() > limit)
    return failure(PROWL_ERR_LIMIT, "rr_respond: response of " + std::to_string(data.size()) +
                                        " bytes exceeds the limit of " + std::to_string(limit));
  asio::post(impl_->executor_, [responder = it->second.responder, bytes = std::vector<uint8_t>(data.begin(), data.end())]() mutable {
    (void)responder.respond(std::move(bytes));  // checked above: open, within the limit
  });
  ctx.registrations().remove(it->first);
  impl_->inbound_.erase(it);
  return {};
}

CallResult PluginNet::rr_fail(PluginContext& ctx, prowl_rr_request* request, int32_t status,
                              std::string_view message) {
  std::lock_guard lock(impl_->mutex_);
  auto it = impl_->inbound_.find(id_of(request));
  if (it == impl_->inbound_.end() || it->second.ctx != &ctx || !it->second.responder.open())
    return failure(PROWL_ERR_NOT_FOUND, "rr_fail: the request was answered already or has expired");
  std::string text = "failed (" + std::string(plugins::status_name(status)) + "): " + std::string(message);
  asio::post(impl_->executor_, [responder = it->second.responder, text = std::move(text)]() mutable {
    (void)responder.fail(text);  // checked above: open
  });
  ctx.registrations().remove(it->first);
  impl_->inbound_.erase(it);
  return {};
}

CallResult PluginNet::rr_request(PluginContext& ctx, std::string_view peer, std::string_view name,
                                 std::span<const uint8_t> data, uint32_t timeout_ms,
                                 const prowl_rr_callbacks& callbacks, void* user) {
  if (callbacks.struct_size < sizeof(prowl_rr_callbacks) || callbacks.on_response == nullptr ||
      callbacks.on_error == nullptr)
    return failure(PROWL_ERR_INVALID_INPUT, "rr_request: callbacks need struct_size, on_response, on_error");
  if (auto bad = rr::RequestResponse::check_name(name)) return failure(PROWL_ERR_INVALID_INPUT, "rr_request: " + *bad);
  const size_t limit = impl_->rr_.config().max_request_bytes;
  if (data.size() > limit)
    return failure(PROWL_ERR_LIMIT, "rr_request: request of " + std::to_string(data.size()) +
                                        " bytes exceeds the limit of " + std::to_string(limit));
  std::string error;
  auto target = rr::PeerTarget::parse(peer, &error);
  if (!target) return failure(PROWL_ERR_INVALID_INPUT, "rr_request: " + error);
  uint64_t id = 0;
  {
    std::lock_guard lock(impl_->mutex_);
    auto registration = ctx.registrations().add_for(RegistrationKind::kOutbound, kUnlimited, impl_->weak_from_this(),
                                                    &Impl::end_outbound);
    if (!registration) return failure(PROWL_ERR_LIMIT, "rr_request: too many requests in flight");
    id = *registration;
    impl_->outbound_.emplace(id, Impl::Outbound{&ctx, callbacks, user});
  }
  std::weak_ptr<Impl> weak = impl_;
  asio::post(impl_->executor_, [weak, id, target = std::move(*target), name = std::string(name),
                                bytes = std::vector<uint8_t>(data.begin(), data.end()), timeout_ms]() mutable {
    auto self = weak.lock();
    if (!self) return;
    self->rr_.request(target, name, std::move(bytes), std::chrono::milliseconds(timeout_ms), [weak, id](rr::Reply reply) {
      if (auto impl = weak.lock()) impl->complete_outbound(id, std::move(reply));
    });
  });
  return {};
}


}  // namespace prowl::plugin_net
