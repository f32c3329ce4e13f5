// prowl/cpp/net.hpp: streams and request-response (prowl/net.h) in C++.
// Callbacks run on the host's event loop and must not block it; an
// exception thrown by one fails that stream or request only. The calls may
// be made from any thread.
#ifndef PROWL_CPP_NET_HPP_
#define PROWL_CPP_NET_HPP_

#include <prowl/cpp/core.hpp>
#include <prowl/net.h>

#include <functional>

namespace prowl {

namespace detail {
/// The net functions of one Host, found by name once; kept by its Keeper.
struct NetApi {
  explicit NetApi(const Host& host)
      : ctx(host.ctx()),
        local_peer_id(host.proc<prowl_local_peer_id_fn>("prowl_local_peer_id")),
        connected_peers(host.proc<prowl_connected_peers_fn>("prowl_connected_peers")),
        stream_listen(host.proc<prowl_stream_listen_fn>("prowl_stream_listen")),
        stream_open(host.proc<prowl_stream_open_fn>("prowl_stream_open")),
        stream_write(host.proc<prowl_stream_write_fn>("prowl_stream_write")),
        stream_close_write(host.proc<prowl_stream_close_write_fn>("prowl_stream_close_write")),
        stream_reset(host.proc<prowl_stream_reset_fn>("prowl_stream_reset")),
        rr_serve(host.proc<prowl_rr_serve_fn>("prowl_rr_serve")),
        rr_respond(host.proc<prowl_rr_respond_fn>("prowl_rr_respond")),
        rr_fail(host.proc<prowl_rr_fail_fn>("prowl_rr_fail")),
        rr_request(host.proc<prowl_rr_request_fn>("prowl_rr_request")) {}
  prowl_plugin_ctx* ctx;
  prowl_local_peer_id_fn local_peer_id;
  prowl_connected_peers_fn connected_peers;
  prowl_stream_listen_fn stream_listen;
  prowl_stream_open_fn stream_open;
  prowl_stream_write_fn stream_write;
  prowl_stream_close_write_fn stream_close_write;
  prowl_stream_reset_fn stream_reset;
  prowl_rr_serve_fn rr_serve;
  prowl_rr_respond_fn rr_respond;
  prowl_rr_fail_fn rr_fail;
  prowl_rr_request_fn rr_request;
};
}  // namespace detail

/// One stream as a plugin sees it: a copyable handle, valid until its
/// on_close has run. Any thread.
class Stream {
 public:
  Stream(const detail::NetApi* api, prowl_stream* handle) noexcept : api_(api), handle_(handle) {}
  /// Queues a copy of data. Throws Error: PROWL_ERR_LIMIT when the queue is
  /// full (on_writable follows once it drains), PROWL_ERR_NOT_FOUND when closed.
  void write(std::span<const uint8_t> data) const {
    detail::call([&](prowl_error* err) {
      return detail::require(api_->stream_write, "prowl_stream_write")(api_->ctx, handle_, data.data(), data.size(),
                                                                        err);
    });
  }
  void write(std::string_view text) const { write({reinterpret_cast<const uint8_t*>(text.data()), text.size()}); }
  /// Sends FIN after the queued bytes. Throws Error.
  void close_write() const {
    detail::call([&](prowl_error* err) {
      return detail::require(api_->stream_close_write, "prowl_stream_close_write")(api_->ctx, handle_, err);
    });
  }
  /// Aborts the stream; on_close(PROWL_ERR_CLOSED) follows unless it had ended.
  void reset() const noexcept {
    prowl_error err{};
    if (api_->stream_reset != nullptr) api_->stream_reset(api_->ctx, handle_, &err);
  }
  prowl_stream* handle() const noexcept { return handle_; }

 private:
  const detail::NetApi* api_;
  prowl_stream* handle_;
};

/// What a plugin does with a stream's events (all optional). On the event
/// loop. An exception thrown by one resets that stream only.
struct StreamEvents {
  std::function<void(Stream&, std::string_view peer, std::string_view protocol)> on_open;
  std::function<void(Stream&, std::span<const uint8_t> data)> on_data;
  std::function<void(Stream&)> on_finish;    ///< the remote sent FIN
  std::function<void(Stream&)> on_writable;  ///< the queue drained after a PROWL_ERR_LIMIT
  std::function<void(Stream&, int32_t status, std::string_view message)> on_close;  ///< last event
};

/// One inbound request; answer it once with respond() or fail(), now or
/// later, from any thread.
class Request {
 public:
  Request(const detail::NetApi* api, prowl_rr_request* handle) noexcept : api_(api), handle_(handle) {}
  /// Answers. Throws Error (PROWL_ERR_LIMIT: too large, the request stays open).
  void respond(std::span<const uint8_t> data) const {
    detail::call([&](prowl_error* err) {
      return detail::require(api_->rr_respond, "prowl_rr_respond")(api_->ctx, handle_, data.data(), data.size(), err);
    });
  }
  void respond(std::string_view text) const { respond({reinterpret_cast<const uint8_t*>(text.data()), text.size()}); }
  /// Refuses; the caller gets PROWL_ERR_REMOTE and the message. Throws Error.
  void fail(prowl_status status, const std::string& message) const {
    detail::call([&](prowl_error* err) {
      return detail::require(api_->rr_fail, "prowl_rr_fail")(api_->ctx, handle_, status, message.c_str(), err);
    });
  }

 private:
  const detail::NetApi* api_;
  prowl_rr_request* handle_;
};

/// Serves one request-response name, on the event loop.
using RequestHandler = std::function<void(Request request, std::string_view peer, std::span<const uint8_t> data)>;
/// Receives a request's outcome: status PROWL_OK with the response, or the
/// failure's status and message. On the event loop.
using ResponseHandler =
    std::function<void(int32_t status, std::string_view message, std::span<const uint8_t> response)>;

/// Streams and request-response for one plugin. Cheap to build from its
/// Host (the functions are looked up once per Host use); any thread.
class Net {
 public:
  explicit Net(Host& host) : host_(host), api_(host.keeper().keep(std::make_unique<detail::NetApi>(host))) {}

  /// True when the host offers every net function.
  bool available() const noexcept {
    return api_->local_peer_id && api_->connected_peers && api_->stream_listen && api_->stream_open &&
           api_->stream_write && api_->stream_close_write && api_->stream_reset && api_->rr_serve &&
           api_->rr_respond && api_->rr_fail && api_->rr_request;
  }

  /// This node's peer id. Throws Error without a network.
  std::string local_peer_id() const {
    char buf[PROWL_PEER_ID_MAX];
    const int64_t n = detail::require(api_->local_peer_id, "prowl_local_peer_id")(api_->ctx, buf, sizeof buf);
    if (n < 0) throw Error(PROWL_ERR_UNSUPPORTED, "the host runs no network");
    return std::string(buf, static_cast<size_t>(n) < sizeof buf ? static_cast<size_t>(n) : sizeof buf - 1);
  }

  /// Peer ids of the live connections. Throws Error.
  std::vector<std::string> connected_peers() const {
    VectorWriter out(1 << 20);
    detail::call([&](prowl_error* err) {
      return detail::require(api_->connected_peers, "prowl_connected_peers")(api_->ctx, out.writer(), err);
    });
    const std::vector<uint8_t> text = out.take();
    std::vector<std::string> peers;
    size_t start = 0;
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] != '\n') continue;
      peers.emplace_back(reinterpret_cast<const char*>(text.data()) + start, i - start);
      start = i + 1;
    }
    return peers;
  }

  /// Serves inbound streams of `protocol` with `events`. Throws Error.
  void on_stream(const std::string& protocol, StreamEvents events) {
    auto fn = detail::require(api_->stream_listen, "prowl_stream_listen");
    host_.keeper().start(std::make_unique<Listening>(Listening{api_, std::move(events), false, &host_.keeper()}),
                         [&](Listening* l, prowl_error* err) {
                           return fn(api_->ctx, protocol.c_str(), &kStream, l, err);
                         });
  }

  /// Opens a stream to `peer` (peer id, or multiaddr with /p2p) for
  /// `protocol`; `events` get on_open, or on_close with the failure.
  /// Throws Error for a call refused at once.
  void open_stream(const std::string& peer, const std::string& protocol, StreamEvents events) {
    auto fn = detail::require(api_->stream_open, "prowl_stream_open");
    host_.keeper().start(std::make_unique<Listening>(Listening{api_, std::move(events), true, &host_.keeper()}),
                         [&](Listening* l, prowl_error* err) {
                           return fn(api_->ctx, peer.c_str(), protocol.c_str(), &kStream, l, err);
                         });
  }

  /// Serves request-response `name` with `handler`. Throws Error.
  void on_request(const std::string& name, RequestHandler handler) {
    auto fn = detail::require(api_->rr_serve, "prowl_rr_serve");
    host_.keeper().start(std::make_unique<Serving>(Serving{api_, std::move(handler)}),
                         [&](Serving* s, prowl_error* err) {
                           return fn(api_->ctx, name.c_str(), &on_request_cb, s, err);
                         });
  }

  /// Sends `data` to `peer` for `name`; `done` gets the outcome later.
  /// timeout_ms 0: the host's default. Throws Error for a call refused at once.
  void request(const std::string& peer, const std::string& name, std::span<const uint8_t> data, uint32_t timeout_ms,
               ResponseHandler done) {
    auto fn = detail::require(api_->rr_request, "prowl_rr_request");
    host_.keeper().start(std::make_unique<Asking>(Asking{std::move(done), &host_.keeper()}),
                         [&](Asking* a, prowl_error* err) {
                           return fn(api_->ctx, peer.c_str(), name.c_str(), data.data(), data.size(), timeout_ms,
                                     &kResponse, a, err);
                         });
  }

 private:
  struct Listening {
    const detail::NetApi* api;
    StreamEvents events;
    bool per_stream;  ///< an opened stream: freed at its on_close
    detail::Keeper* keeper;
  };
  struct Serving {
    const detail::NetApi* api;
    RequestHandler handler;
  };
  struct Asking {
    ResponseHandler done;
    detail::Keeper* keeper;
  };

  template <class F>
  static void on_stream_event(void* user, prowl_stream* s, F&& f) noexcept {
    auto* l = static_cast<Listening*>(user);
    Stream stream(l->api, s);
    try {
      f(*l, stream);
    } catch (...) {
      stream.reset();
    }
  }
  static void on_open(void* user, prowl_stream* s, const char* peer, const char* protocol) noexcept {
    on_stream_event(user, s, [&](Listening& l, Stream& st) {
      if (l.events.on_open) l.events.on_open(st, peer, protocol);
    });
  }
  static void on_data(void* user, prowl_stream* s, const uint8_t* data, size_t len) noexcept {
    on_stream_event(user, s, [&](Listening& l, Stream& st) {
      if (l.events.on_data) l.events.on_data(st, {data, len});
    });
  }
  static void on_finish(void* user, prowl_stream* s) noexcept {
    on_stream_event(user, s, [&](Listening& l, Stream& st) { if (l.events.on_finish) l.events.on_finish(st); });
  }
  static void on_writable(void* user, prowl_stream* s) noexcept {
    on_stream_event(user, s, [&](Listening& l, Stream& st) { if (l.events.on_writable) l.events.on_writable(st); });
  }
  static void on_close(void* user, prowl_stream* s, int32_t status, const char* message) noexcept {
    auto* l = static_cast<Listening*>(user);
    Stream stream(l->api, s);
    try {
      if (l->events.on_close) l->events.on_close(stream, status, message);
    } catch (...) {
      // The stream is gone; nothing is left to reset.
    }
    if (l->per_stream) l->keeper->drop(l);
  }
  static constexpr prowl_stream_callbacks kStream{sizeof(prowl_stream_callbacks), &on_open, &on_data, &on_finish,
                                                  &on_writable, &on_close};

  static void on_request_cb(void* user, prowl_rr_request* request, const char* peer, const uint8_t* data,
                            size_t len) noexcept {
    auto* serving = static_cast<Serving*>(user);
    const Request req(serving->api, request);
    prowl_error failed{};
    const int32_t rc = detail::guarded(&failed, [&] { serving->handler(req, peer, {data, len}); });
    if (rc == PROWL_OK) return;
    try {
      req.fail(static_cast<prowl_status>(rc), failed.message);
    } catch (...) {
      // Answered already: the exception came after the answer.
    }
  }
  static void finish_request(void* user, int32_t status, const char* message, const uint8_t* data,
                             size_t len) noexcept {
    auto* asking = static_cast<Asking*>(user);
    try {
      asking->done(status, message, {data, len});
    } catch (...) {
      // Nothing to report it to: the request is over.
    }
    asking->keeper->drop(asking);
  }
  static void on_response(void* user, const uint8_t* data, size_t len) noexcept {
    finish_request(user, PROWL_OK, "", data, len);
  }
  static void on_error(void* user, int32_t status, const char* message) noexcept {
    finish_request(user, status, message, nullptr, 0);
  }
  static constexpr prowl_rr_callbacks kResponse{sizeof(prowl_rr_callbacks), &on_response, &on_error};

  Host& host_;
  const detail::NetApi* api_;
};

}  // namespace prowl

#endif  // PROWL_CPP_NET_HPP_
