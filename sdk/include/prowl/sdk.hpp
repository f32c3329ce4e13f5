// prowl/sdk.hpp: header-only C++ wrappers over the C ABI in prowl/plugin.h.
//
// An author derives from one of prowl::Codec, prowl::CodonEncoder,
// prowl::Role or prowl::Hunt, gives the class a constructor taking
// prowl::Host&, and writes one line:
//
//   PROWL_PLUGIN(MyCodec, "my-codec", "1.0.0", "What it does");
//
// The macro emits the manifest and the entry point. Exceptions thrown by the
// class never cross the boundary: they become a prowl_status and a message.
// Nothing here depends on the host; only the C++20 standard library is used.
#ifndef PROWL_SDK_HPP_
#define PROWL_SDK_HPP_

#include <prowl/plugin.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace prowl {

/// An error that maps to a prowl_status when it reaches the boundary.
class Error : public std::runtime_error {
 public:
  Error(prowl_status status, const std::string& message)
      : std::runtime_error(message), status_(status) {}
  prowl_status status() const noexcept { return status_; }

 private:
  prowl_status status_;
};

/// Malformed input: maps to PROWL_ERR_INVALID_INPUT.
class InvalidInput : public Error {
 public:
  explicit InvalidInput(const std::string& message) : Error(PROWL_ERR_INVALID_INPUT, message) {}
};

/// A size or resource limit was hit: maps to PROWL_ERR_LIMIT.
class LimitExceeded : public Error {
 public:
  explicit LimitExceeded(const std::string& message) : Error(PROWL_ERR_LIMIT, message) {}
};

namespace detail {
/// Copies text into a fixed C buffer, always terminating it.
inline void copy_text(char* dst, size_t cap, std::string_view text) noexcept {
  if (cap == 0) return;
  const size_t n = text.size() < cap - 1 ? text.size() : cap - 1;
  std::memcpy(dst, text.data(), n);
  dst[n] = '\0';
}
}  // namespace detail

/// Host-owned output with a hard limit. Not copyable; valid during one call.
class Output {
 public:
  explicit Output(prowl_writer* writer) noexcept : writer_(writer) {}
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;

  /// Returns at least min_bytes of writable room. Throws LimitExceeded.
  std::span<uint8_t> reserve(size_t min_bytes) {
    size_t room = 0;
    uint8_t* p = writer_->reserve(writer_->ctx, min_bytes, &room);
    if (p == nullptr) throw LimitExceeded("output limit reached");
    return {p, room};
  }
  /// Marks n bytes of the last reserved room as written.
  void commit(size_t n) noexcept { writer_->commit(writer_->ctx, n); }
  /// Appends bytes. Throws LimitExceeded.
  void append(const void* data, size_t size) {
    if (size == 0) return;
    auto room = reserve(size);
    std::memcpy(room.data(), data, size);
    commit(size);
  }
  void append(std::string_view text) { append(text.data(), text.size()); }
  prowl_writer* raw() const noexcept { return writer_; }

 private:
  prowl_writer* writer_;
};

/// A prowl_writer over a std::vector with a hard size limit, for plugins that
/// call host services and for hosts. Not thread-safe; one producer at a time.
class VectorWriter {
 public:
  explicit VectorWriter(size_t limit) : limit_(limit) {
    writer_.ctx = this;
    writer_.reserve = &VectorWriter::reserve_cb;
    writer_.commit = &VectorWriter::commit_cb;
  }
  VectorWriter(const VectorWriter&) = delete;
  VectorWriter& operator=(const VectorWriter&) = delete;

  /// The C view to hand to a plugin or host call.
  prowl_writer* writer() noexcept { return &writer_; }
  /// Bytes committed so far.
  size_t size() const noexcept { return used_; }
  /// Returns the committed bytes and resets the writer.
  std::vector<uint8_t> take() {
    data_.resize(used_);
    used_ = 0;
    return std::move(data_);
  }

 private:
  static uint8_t* reserve_cb(void* ctx, size_t min_bytes, size_t* room) noexcept {
    auto* self = static_cast<VectorWriter*>(ctx);
    if (min_bytes > self->limit_ - self->used_) return nullptr;
    const size_t want = self->used_ + min_bytes;
    if (self->data_.size() < want) {
      size_t grown = self->data_.size() * 2;
      if (grown < want) grown = want;
      if (grown > self->limit_) grown = self->limit_;
      try {
        self->data_.resize(grown);
      } catch (...) {
        return nullptr;
      }
    }
    *room = self->data_.size() - self->used_;
    return self->data_.data() + self->used_;
  }
  static void commit_cb(void* ctx, size_t n) noexcept { static_cast<VectorWriter*>(ctx)->used_ += n; }

  prowl_writer writer_{};
  std::vector<uint8_t> data_;
  size_t used_ = 0;
  size_t limit_;
};


/// One stream as a plugin sees it: a copyable handle, valid until its
/// on_close has run. Thread-safe.
class Stream {
 public:
  Stream(const prowl_host_api* api, prowl_stream* handle) noexcept : api_(api), handle_(handle) {}
  /// Queues a copy of data. Throws Error: PROWL_ERR_LIMIT when the queue is
  /// full (on_writable follows once it drains), PROWL_ERR_NOT_FOUND when closed.
  void write(std::span<const uint8_t> data) const {
    prowl_error err{};
    int32_t rc = api_->stream_write(api_->host, handle_, data.data(), data.size(), &err);
    if (rc != PROWL_OK) throw Error(static_cast<prowl_status>(rc), err.message);
  }
  void write(std::string_view text) const {
    write({reinterpret_cast<const uint8_t*>(text.data()), text.size()});
  }
  /// Sends FIN after the queued bytes. Throws Error.
  void close_write() const {
    prowl_error err{};
    int32_t rc = api_->stream_close_write(api_->host, handle_, &err);
    if (rc != PROWL_OK) throw Error(static_cast<prowl_status>(rc), err.message);
  }
  /// Aborts the stream; on_close(PROWL_ERR_CLOSED) follows unless it had ended.
  void reset() const noexcept {
    prowl_error err{};
    api_->stream_reset(api_->host, handle_, &err);
  }
  prowl_stream* handle() const noexcept { return handle_; }

 private:
  const prowl_host_api* api_;
  prowl_stream* handle_;
};

/// What a plugin does with a stream's events (all optional). Called on the
/// host's event loop. An exception thrown by one resets that stream only.
struct StreamEvents {
  std::function<void(Stream&, std::string_view peer, std::string_view protocol)> on_open;
  std::function<void(Stream&, std::span<const uint8_t> data)> on_data;
  std::function<void(Stream&)> on_finish;    ///< the remote sent FIN
  std::function<void(Stream&)> on_writable;  ///< the queue drained after a PROWL_ERR_LIMIT
  std::function<void(Stream&, int32_t status, std::string_view message)> on_close;  ///< last event
};

/// One inbound request; answer it once with respond() or fail(). Thread-safe.
class Request {
 public:
  Request(const prowl_host_api* api, prowl_rr_request* handle) noexcept : api_(api), handle_(handle) {}
  /// Answers. Throws Error (PROWL_ERR_LIMIT: too large, the request stays open).
  void respond(std::span<const uint8_t> data) const {
    prowl_error err{};
    int32_t rc = api_->rr_respond(api_->host, handle_, data.data(), data.size(), &err);
    if (rc != PROWL_OK) throw Error(static_cast<prowl_status>(rc), err.message);
  }
  /// Refuses; the caller gets PROWL_ERR_REMOTE and the message. Throws Error.
  void fail(prowl_status status, const std::string& message) const {
    prowl_error err{};
    int32_t rc = api_->rr_fail(api_->host, handle_, status, message.c_str(), &err);
    if (rc != PROWL_OK) throw Error(static_cast<prowl_status>(rc), err.message);
  }

 private:
  const prowl_host_api* api_;
  prowl_rr_request* handle_;
};

/// Serves one request-response name.
using RequestHandler = std::function<void(Request request, std::string_view peer, std::span<const uint8_t> data)>;
/// Receives a request's outcome: status PROWL_OK with the response, or the
/// failure's status and message.
using ResponseHandler =
    std::function<void(int32_t status, std::string_view message, std::span<const uint8_t> response)>;

/// A peer found through the DHT.
struct DhtPeer {
  std::string id;                  ///< peer id text
  std::vector<std::string> addrs;  ///< multiaddr texts
};

/// The outcome of one DHT call (which fields are set depends on the call).
struct DhtResult {
  int32_t status = PROWL_OK;    ///< PROWL_OK, or why it failed
  std::string message;          ///< empty on success
  std::vector<uint8_t> value;   ///< dht_get
  uint64_t count = 0;           ///< dht_put: peers that stored it; provide: peers told
  std::vector<DhtPeer> peers;   ///< find_providers, find_peer (one), closest_peers
  bool ok() const noexcept { return status == PROWL_OK; }
};
/// Receives a DHT call's outcome once, on the host's event loop.
using DhtHandler = std::function<void(const DhtResult&)>;

/// One pub/sub message; its views are valid during the callback only.
struct PubsubMessage {
  std::string_view topic;
  std::string_view from;  ///< the author's peer id
  uint64_t seqno = 0;
  std::span<const uint8_t> data;
};
/// Receives the messages of a subscribed topic.
using MessageHandler = std::function<void(const PubsubMessage&)>;
/// A validator's verdict.
enum class Verdict : int32_t {
  kAccept = PROWL_VERDICT_ACCEPT,  ///< deliver and forward
  kReject = PROWL_VERDICT_REJECT,  ///< drop and penalise the senders
  kIgnore = PROWL_VERDICT_IGNORE   ///< drop without penalty
};
/// Judges received messages of a topic; an exception counts as kIgnore.
using MessageValidator = std::function<Verdict(const PubsubMessage&)>;

/// One howl heard; its views are valid during the callback only.
struct HowlEvent {
  std::string_view sender;  ///< peer id text
  prowl_howl_pattern pattern = PROWL_HOWL_SOCIAL;
  prowl_howl_range range = PROWL_RANGE_GLOBAL;
  std::string_view group;   ///< pack or territory id; empty for global howls
  uint32_t frequency = 0;
  std::span<const uint8_t> payload;
  uint64_t timestamp_ms = 0;
};
/// Receives howls.
using HowlHandler = std::function<void(const HowlEvent&)>;
/// Howls of one pattern this node sent and heard.
struct HowlCounts {
  uint64_t sent = 0;
  uint64_t received = 0;
};

namespace detail {

/// The callback objects a plugin's Host handed to the host, kept until the
/// host is done with them (or the plugin goes away).
class NetState {
 public:
  struct Listening {
    const prowl_host_api* api;
    StreamEvents events;
    bool per_stream;  ///< freed at on_close (an opened stream)
    NetState* owner;
  };
  struct Serving {
    const prowl_host_api* api;
    RequestHandler handler;
  };
  struct Asking {
    ResponseHandler done;
    NetState* owner;
  };

  struct Querying {
    DhtHandler done;
    NetState* owner;
  };
  struct Subscribed {
    MessageHandler handler;
    NetState* owner;
  };
  struct Validating {
    const prowl_host_api* api;
    std::string topic;
    MessageValidator validator;
  };
  struct Hearing {
    HowlHandler handler;
    NetState* owner;
  };

  template <class T>
  T* keep(std::unique_ptr<T> object) {
    std::lock_guard lock(mutex_);
    T* raw = object.get();
    objects_.emplace(raw, std::shared_ptr<void>(std::move(object)));
    return raw;
  }
  void drop(void* object) {
    std::shared_ptr<void> gone;  // freed after the lock is released
    std::lock_guard lock(mutex_);
    if (auto it = objects_.find(object); it != objects_.end()) {
      gone = std::move(it->second);
      objects_.erase(it);
    }
  }

  /// A reference keeping `object` alive through a callback that may drop it.
  std::shared_ptr<void> hold(void* object) {
    std::lock_guard lock(mutex_);
    auto it = objects_.find(object);
    return it == objects_.end() ? nullptr : it->second;
  }

  /// Remembers that subscription `id` holds `object` (dropped with drop_id).
  void name(uint64_t id, void* object) {
    std::lock_guard lock(mutex_);
    ids_[id] = object;
  }
  void drop_id(uint64_t id) {
    void* object = nullptr;
    {
      std::lock_guard lock(mutex_);
      if (auto it = ids_.find(id); it != ids_.end()) {
        object = it->second;
        ids_.erase(it);
      }
    }
    if (object != nullptr) drop(object);
  }

  static Stream stream_of(const Listening* l, prowl_stream* s) { return Stream(l->api, s); }
  template <class F>
  static void on_stream(void* user, prowl_stream* s, F&& f) noexcept {
    auto* l = static_cast<Listening*>(user);
    Stream stream = stream_of(l, s);
    try {
      f(*l, stream);
    } catch (...) {
      stream.reset();
    }
  }
  static void on_open(void* user, prowl_stream* s, const char* peer, const char* protocol) noexcept {
    on_stream(user, s, [&](Listening& l, Stream& st) { if (l.events.on_open) l.events.on_open(st, peer, protocol); });
  }
  static void on_data(void* user, prowl_stream* s, const uint8_t* data, size_t len) noexcept {
    on_stream(user, s, [&](Listening& l, Stream& st) { if (l.events.on_data) l.events.on_data(st, {data, len}); });
  }
  static void on_finish(void* user, prowl_stream* s) noexcept {
    on_stream(user, s, [&](Listening& l, Stream& st) { if (l.events.on_finish) l.events.on_finish(st); });
  }
  static void on_writable(void* user, prowl_stream* s) noexcept {
    on_stream(user, s, [&](Listening& l, Stream& st) { if (l.events.on_writable) l.events.on_writable(st); });
  }
  static void on_close(void* user, prowl_stream* s, int32_t status, const char* message) noexcept {
    auto* l = static_cast<Listening*>(user);
    Stream stream = stream_of(l, s);
    try {
      if (l->events.on_close) l->events.on_close(stream, status, message);
    } catch (...) {
      // The stream is gone; nothing is left to reset.
    }
    if (l->per_stream) l->owner->drop(l);
  }
  static constexpr prowl_stream_callbacks kStreamCallbacks{sizeof(prowl_stream_callbacks), &on_open, &on_data,
                                                           &on_finish, &on_writable, &on_close};

  static void on_request(void* user, prowl_rr_request* request, const char* peer, const uint8_t* data,
                         size_t len) noexcept {
    auto* serving = static_cast<Serving*>(user);
    Request req(serving->api, request);
    try {
      serving->handler(req, peer, {data, len});
    } catch (const std::exception& e) {
      try {
        req.fail(PROWL_ERR_INTERNAL, e.what());
      } catch (...) {
        // Answered already: the exception came after the answer.
      }
    } catch (...) {
      try {
        req.fail(PROWL_ERR_INTERNAL, "unknown exception");
      } catch (...) {
        // As above.
      }
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
    asking->owner->drop(asking);
  }
  static void on_response(void* user, const uint8_t* data, size_t len) noexcept {
    finish_request(user, PROWL_OK, "", data, len);
  }
  static void on_error(void* user, int32_t status, const char* message) noexcept {
    finish_request(user, status, message, nullptr, 0);
  }
  static constexpr prowl_rr_callbacks kResponseCallbacks{sizeof(prowl_rr_callbacks), &on_response, &on_error};

  static void on_dht(void* user, const prowl_dht_result* r) noexcept {
    auto* querying = static_cast<Querying*>(user);
    try {
      DhtResult result;
      result.status = r->status;
      result.message = r->message == nullptr ? "" : r->message;
      if (r->value != nullptr) result.value.assign(r->value, r->value + r->value_len);
      result.count = r->count;
      for (size_t i = 0; i < r->peer_count; ++i) {
        DhtPeer& peer = result.peers.emplace_back();
        peer.id = r->peers[i].peer;
        for (size_t j = 0; j < r->peers[i].addr_count; ++j) peer.addrs.emplace_back(r->peers[i].addrs[j]);
      }
      querying->done(result);
    } catch (...) {
      // Nothing to report it to: the call is over.
    }
    querying->owner->drop(querying);
  }

  static PubsubMessage message_of(const prowl_pubsub_message* m) noexcept {
    return {m->topic, m->from, m->seqno, {m->data, m->len}};
  }
  static void on_message(void* user, const prowl_pubsub_message* m) noexcept {
    auto* sub = static_cast<Subscribed*>(user);
    try {
      const std::shared_ptr<void> alive = sub->owner->hold(sub);  // the handler may unsubscribe
      sub->handler(message_of(m));
    } catch (...) {
      // One message's failure does not end the subscription.
    }
  }
  static int32_t on_validate(void* user, const prowl_pubsub_message* m) noexcept {
    auto* validating = static_cast<Validating*>(user);
    try {
      return static_cast<int32_t>(validating->validator(message_of(m)));
    } catch (const std::exception& e) {
      note_failure(validating, e.what());
    } catch (...) {
      note_failure(validating, "unknown exception");
    }
    return PROWL_VERDICT_IGNORE;
  }
  static void note_failure(const Validating* validating, const char* what) noexcept {
    try {
      const std::string line = "validator of topic '" + validating->topic + "' threw (message ignored): " + what;
      validating->api->log(validating->api->host, PROWL_LOG_WARN, line.c_str());
    } catch (...) {
      // Out of memory: the verdict stands without the log line.
    }
  }
  static void on_howl(void* user, const prowl_howl* h) noexcept {
    auto* hearing = static_cast<Hearing*>(user);
    try {
      const std::shared_ptr<void> alive = hearing->owner->hold(hearing);  // the handler may unsubscribe
      hearing->handler(HowlEvent{h->sender, static_cast<prowl_howl_pattern>(h->pattern),
                                                     static_cast<prowl_howl_range>(h->range), h->group,
                                                     h->frequency, {h->payload, h->len}, h->timestamp_ms});
    } catch (...) {
      // One howl's failure does not end the subscription.
    }
  }

 private:
  std::mutex mutex_;
  std::map<void*, std::shared_ptr<void>> objects_;
  std::map<uint64_t, void*> ids_;
};

}  // namespace detail

/// The host services given to a plugin. Thread-safe; outlives the plugin.
class Host {
 public:
  explicit Host(const prowl_host_api* api) : api_(api) {}

  /// Writes a log line tagged with the plugin's name.
  void log(prowl_log_level level, const std::string& message) const {
    api_->log(api_->host, level, message.c_str());
  }
  void info(const std::string& message) const { log(PROWL_LOG_INFO, message); }
  void warn(const std::string& message) const { log(PROWL_LOG_WARN, message); }

  /// This plugin's config value "plugins.<name>.<key>", if set.
  std::optional<std::string> config(const std::string& key) const {
    char small[256];
    int64_t n = api_->config_get(api_->host, key.c_str(), small, sizeof small);
    if (n < 0) return std::nullopt;
    if (static_cast<size_t>(n) < sizeof small) return std::string(small, static_cast<size_t>(n));
    std::string big(static_cast<size_t>(n) + 1, '\0');
    api_->config_get(api_->host, key.c_str(), big.data(), big.size());
    big.resize(static_cast<size_t>(n));
    return big;
  }

  /// Names of the codecs loaded in the host.
  std::vector<std::string> codecs() const {
    std::vector<std::string> names;
    char buf[PROWL_NAME_MAX];
    for (size_t i = 0; api_->codec_name(api_->host, i, buf, sizeof buf) == 1; ++i)
      names.emplace_back(buf);
    return names;
  }

  /// Raw compression with another codec. Throws Error on failure.
  void compress(const std::string& codec, std::span<const uint8_t> in, int32_t level,
                Output& out) const {
    prowl_error err{};
    int32_t rc = api_->codec_compress(api_->host, codec.c_str(), in.data(), in.size(), level,
                                      out.raw(), &err);
    if (rc != PROWL_OK) throw Error(static_cast<prowl_status>(rc), err.message);
  }
  /// Raw decompression with another codec. Throws Error on failure.
  void decompress(const std::string& codec, std::span<const uint8_t> in, size_t original_size,
                  Output& out) const {
    prowl_error err{};
    int32_t rc = api_->codec_decompress(api_->host, codec.c_str(), in.data(), in.size(),
                                        original_size, out.raw(), &err);
    if (rc != PROWL_OK) throw Error(static_cast<prowl_status>(rc), err.message);
  }

  /// True when the host offers the network services (ABI 1.1 or newer).
  bool has_network() const noexcept {
    return api_->struct_size >= offsetof(prowl_host_api, rr_request) + sizeof api_->rr_request;
  }

  /// This node's peer id. Throws Error without a network.
  std::string local_peer_id() const {
    require_network();
    char buf[PROWL_PEER_ID_MAX];
    int64_t n = api_->local_peer_id(api_->host, buf, sizeof buf);
    if (n < 0) throw Error(PROWL_ERR_UNSUPPORTED, "the host runs no network");
    return std::string(buf, static_cast<size_t>(n) < sizeof buf ? static_cast<size_t>(n) : sizeof buf - 1);
  }

  /// Peer ids of the live connections. Throws Error.
  std::vector<std::string> connected_peers() const {
    require_network();
    VectorWriter out(1 << 20);
    prowl_error err{};
    int32_t rc = api_->connected_peers(api_->host, out.writer(), &err);
    if (rc != PROWL_OK) throw Error(static_cast<prowl_status>(rc), err.message);
    std::vector<uint8_t> text = out.take();
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
    require_network();
    auto* l = net_->keep(std::make_unique<detail::NetState::Listening>(
        detail::NetState::Listening{api_, std::move(events), false, net_.get()}));
    prowl_error err{};
    int32_t rc = api_->stream_listen(api_->host, protocol.c_str(), &detail::NetState::kStreamCallbacks, l, &err);
    if (rc != PROWL_OK) {
      net_->drop(l);
      throw Error(static_cast<prowl_status>(rc), err.message);
    }
  }

  /// Opens a stream to `peer` (peer id, or multiaddr with /p2p) for
  /// `protocol`; `events` get on_open, or on_close with the failure.
  /// Throws Error for a call refused at once.
  void open_stream(const std::string& peer, const std::string& protocol, StreamEvents events) {
    require_network();
    auto* l = net_->keep(std::make_unique<detail::NetState::Listening>(
        detail::NetState::Listening{api_, std::move(events), true, net_.get()}));
    prowl_error err{};
    int32_t rc = api_->stream_open(api_->host, peer.c_str(), protocol.c_str(), &detail::NetState::kStreamCallbacks,
                                   l, &err);
    if (rc != PROWL_OK) {
      net_->drop(l);
      throw Error(static_cast<prowl_status>(rc), err.message);
    }
  }

  /// Serves request-response `name` with `handler`. Throws Error.
  void on_request(const std::string& name, RequestHandler handler) {
    require_network();
    auto* serving = net_->keep(
        std::make_unique<detail::NetState::Serving>(detail::NetState::Serving{api_, std::move(handler)}));
    prowl_error err{};
    int32_t rc = api_->rr_serve(api_->host, name.c_str(), &detail::NetState::on_request, serving, &err);
    if (rc != PROWL_OK) {
      net_->drop(serving);
      throw Error(static_cast<prowl_status>(rc), err.message);
    }
  }

  /// Sends `data` to `peer` for `name`; `done` gets the outcome later.
  /// timeout_ms 0: the host's default. Throws Error for a call refused at once.
  void request(const std::string& peer, const std::string& name, std::span<const uint8_t> data,
               uint32_t timeout_ms, ResponseHandler done) {
    require_network();
    auto* asking = net_->keep(
        std::make_unique<detail::NetState::Asking>(detail::NetState::Asking{std::move(done), net_.get()}));
    prowl_error err{};
    int32_t rc = api_->rr_request(api_->host, peer.c_str(), name.c_str(), data.data(), data.size(), timeout_ms,
                                  &detail::NetState::kResponseCallbacks, asking, &err);
    if (rc != PROWL_OK) {
      net_->drop(asking);
      throw Error(static_cast<prowl_status>(rc), err.message);
    }
  }

  /// True when the host offers the DHT, pub/sub and howls (ABI 1.2 or newer).
  bool has_swarm_services() const noexcept {
    return api_->struct_size >= offsetof(prowl_host_api, howl_counts) + sizeof api_->howl_counts;
  }

  /// Stores `value` under `key` (a /prowl/<our id>/<name> key is signed by
  /// the host); `done` gets the count of peers that stored it, or the failure.
  /// Throws Error for a call refused at once (bad size, no DHT, stopped).
  void dht_put(std::span<const uint8_t> key, std::span<const uint8_t> value, DhtHandler done) {
    dht_call(std::move(done), [&](prowl_dht_done_fn fn, void* user, prowl_error* err) {
      return api_->dht_put(api_->host, key.data(), key.size(), value.data(), value.size(), fn, user, err);
    });
  }
  /// Finds the value of `key`; `done` gets it in DhtResult::value.
  void dht_get(std::span<const uint8_t> key, DhtHandler done) {
    dht_call(std::move(done), [&](prowl_dht_done_fn fn, void* user, prowl_error* err) {
      return api_->dht_get(api_->host, key.data(), key.size(), fn, user, err);
    });
  }
  /// Announces this node as a provider of `key`; `done` gets the peers told.
  void dht_provide(std::span<const uint8_t> key, DhtHandler done) {
    dht_call(std::move(done), [&](prowl_dht_done_fn fn, void* user, prowl_error* err) {
      return api_->dht_provide(api_->host, key.data(), key.size(), fn, user, err);
    });
  }
  /// Finds up to `max` (0: 20) providers of `key`; `done` gets them as peers.
  void dht_find_providers(std::span<const uint8_t> key, uint32_t max, DhtHandler done) {
    dht_call(std::move(done), [&](prowl_dht_done_fn fn, void* user, prowl_error* err) {
      return api_->dht_find_providers(api_->host, key.data(), key.size(), max, fn, user, err);
    });
  }
  /// Finds the addresses of `peer`; `done` gets it as the one peer.
  void dht_find_peer(const std::string& peer, DhtHandler done) {
    dht_call(std::move(done), [&](prowl_dht_done_fn fn, void* user, prowl_error* err) {
      return api_->dht_find_peer(api_->host, peer.c_str(), fn, user, err);
    });
  }
  /// Finds the peers closest to `key`.
  void dht_closest_peers(std::span<const uint8_t> key, DhtHandler done) {
    dht_call(std::move(done), [&](prowl_dht_done_fn fn, void* user, prowl_error* err) {
      return api_->dht_closest_peers(api_->host, key.data(), key.size(), fn, user, err);
    });
  }

  /// Calls `handler` with every message of `topic` until unsubscribe(id).
  /// Returns the subscription's id. Throws Error.
  uint64_t subscribe(const std::string& topic, MessageHandler handler) {
    require_swarm_services();
    auto* sub = net_->keep(std::make_unique<detail::NetState::Subscribed>(
        detail::NetState::Subscribed{std::move(handler), net_.get()}));
    prowl_error err{};
    uint64_t id = 0;
    int32_t rc = api_->pubsub_subscribe(api_->host, topic.c_str(), &detail::NetState::on_message, sub, &id, &err);
    if (rc != PROWL_OK) {
      net_->drop(sub);
      throw Error(static_cast<prowl_status>(rc), err.message);
    }
    net_->name(id, sub);
    return id;
  }
  /// Ends a subscription. Throws Error (PROWL_ERR_NOT_FOUND for an unknown id).
  void unsubscribe(uint64_t id) {
    require_swarm_services();
    prowl_error err{};
    int32_t rc = api_->pubsub_unsubscribe(api_->host, id, &err);
    if (rc != PROWL_OK) throw Error(static_cast<prowl_status>(rc), err.message);
    net_->drop_id(id);
  }
  /// Signs and sends `data` to `topic`. Throws Error.
  void publish(const std::string& topic, std::span<const uint8_t> data) const {
    require_swarm_services();
    prowl_error err{};
    int32_t rc = api_->pubsub_publish(api_->host, topic.c_str(), data.data(), data.size(), &err);
    if (rc != PROWL_OK) throw Error(static_cast<prowl_status>(rc), err.message);
  }
  void publish(const std::string& topic, std::string_view text) const {
    publish(topic, {reinterpret_cast<const uint8_t*>(text.data()), text.size()});
  }
  /// Judges received messages of `topic` with `validator` (one per topic),
  /// on the host's loop, until the plugin stops. Throws Error.
  void validate(const std::string& topic, MessageValidator validator) {
    require_swarm_services();
    auto* v = net_->keep(std::make_unique<detail::NetState::Validating>(
        detail::NetState::Validating{api_, topic, std::move(validator)}));
    prowl_error err{};
    int32_t rc = api_->pubsub_validate(api_->host, topic.c_str(), &detail::NetState::on_validate, v, &err);
    if (rc != PROWL_OK) {
      net_->drop(v);
      throw Error(static_cast<prowl_status>(rc), err.message);
    }
  }

  /// Howls `payload` with `pattern` in `range` at `frequency` (0..1000). Throws Error.
  void howl(prowl_howl_pattern pattern, prowl_howl_range range, uint32_t frequency,
            std::span<const uint8_t> payload) const {
    require_swarm_services();
    prowl_error err{};
    int32_t rc = api_->howl_send(api_->host, pattern, range, frequency, payload.data(), payload.size(), &err);
    if (rc != PROWL_OK) throw Error(static_cast<prowl_status>(rc), err.message);
  }
  /// Calls `handler` with howls of `pattern` from other peers in `range`
  /// (PROWL_RANGE_ANY: all). Returns the id for unsubscribe_howl. Throws Error.
  uint64_t on_howl(prowl_howl_pattern pattern, prowl_howl_range range, HowlHandler handler) {
    require_swarm_services();
    auto* hearing = net_->keep(std::make_unique<detail::NetState::Hearing>(
        detail::NetState::Hearing{std::move(handler), net_.get()}));
    prowl_error err{};
    uint64_t id = 0;
    int32_t rc = api_->howl_subscribe(api_->host, pattern, range, &detail::NetState::on_howl, hearing, &id, &err);
    if (rc != PROWL_OK) {
      net_->drop(hearing);
      throw Error(static_cast<prowl_status>(rc), err.message);
    }
    net_->name(id, hearing);
    return id;
  }
  /// Ends a howl subscription. Throws Error.
  void unsubscribe_howl(uint64_t id) {
    require_swarm_services();
    prowl_error err{};
    int32_t rc = api_->howl_unsubscribe(api_->host, id, &err);
    if (rc != PROWL_OK) throw Error(static_cast<prowl_status>(rc), err.message);
    net_->drop_id(id);
  }
  /// Howls of `pattern` this node sent and heard. Throws Error.
  HowlCounts howl_counts(prowl_howl_pattern pattern) const {
    require_swarm_services();
    HowlCounts counts;
    prowl_error err{};
    int32_t rc = api_->howl_counts(api_->host, pattern, &counts.sent, &counts.received, &err);
    if (rc != PROWL_OK) throw Error(static_cast<prowl_status>(rc), err.message);
    return counts;
  }

  const prowl_host_api* raw() const noexcept { return api_; }

 private:
  void require_network() const {
    if (!has_network()) throw Error(PROWL_ERR_UNSUPPORTED, "the host is older than ABI 1.1: no network services");
  }
  void require_swarm_services() const {
    if (!has_swarm_services())
      throw Error(PROWL_ERR_UNSUPPORTED, "the host is older than ABI 1.2: no DHT, pub/sub or howls");
  }
  /// Starts one DHT call: start(fn, user, err) -> status.
  template <class F>
  void dht_call(DhtHandler done, F&& start) {
    require_swarm_services();
    auto* querying = net_->keep(
        std::make_unique<detail::NetState::Querying>(detail::NetState::Querying{std::move(done), net_.get()}));
    prowl_error err{};
    int32_t rc = start(&detail::NetState::on_dht, querying, &err);
    if (rc != PROWL_OK) {
      net_->drop(querying);
      throw Error(static_cast<prowl_status>(rc), err.message);
    }
  }

  const prowl_host_api* api_;
  std::shared_ptr<detail::NetState> net_ = std::make_shared<detail::NetState>();
};

/// Base of codec plugins. Implementations must be thread-safe.
class Codec {
 public:
  virtual ~Codec() = default;
  /// Compresses `in` into `out`; returns the codec name whose format was
  /// written (empty means this plugin's own name). level 0 = default.
  virtual std::string compress(std::span<const uint8_t> in, int32_t level, Output& out) = 0;
  /// Decompresses `in`, which must expand to exactly original_size bytes.
  virtual void decompress(std::span<const uint8_t> in, size_t original_size, Output& out) = 0;
};

/// Base of genetic-codon encoder plugins. Implementations must be thread-safe.
class CodonEncoder {
 public:
  virtual ~CodonEncoder() = default;
  /// Encodes bytes into a codon sequence over A, C, G, T.
  virtual void encode(std::span<const uint8_t> in, Output& out) = 0;
  /// Decodes a codon sequence; throws InvalidInput naming the position.
  virtual void decode(std::span<const uint8_t> in, Output& out) = 0;
};

/// Base of role and hunt plugins: lifecycle; the swarm services are on Host.
class Agent {
 public:
  virtual ~Agent() = default;
  /// Called once after the host has started; throw to refuse.
  virtual void start() {}
  /// Called once before the host stops.
  virtual void stop() noexcept {}
};

/// A role (alpha, scout, sentinel, ...).
class Role : public Agent {};
/// A hunt type (discovery, resource, ...).
class Hunt : public Agent {};

namespace detail {

template <class T>
constexpr uint32_t kind_of() {
  if constexpr (std::is_base_of_v<Codec, T>) return PROWL_KIND_CODEC;
  else if constexpr (std::is_base_of_v<CodonEncoder, T>) return PROWL_KIND_CODON;
  else if constexpr (std::is_base_of_v<Role, T>) return PROWL_KIND_ROLE;
  else if constexpr (std::is_base_of_v<Hunt, T>) return PROWL_KIND_HUNT;
  else static_assert(sizeof(T) == 0, "a plugin class derives from Codec, CodonEncoder, Role or Hunt");
}

/// Runs f, turning any exception into a status and a message.
template <class F>
int32_t guarded(prowl_error* err, F&& f) noexcept {
  try {
    f();
    return PROWL_OK;
  } catch (const Error& e) {
    copy_text(err->message, sizeof err->message, e.what());
    return e.status();
  } catch (const std::bad_alloc&) {
    copy_text(err->message, sizeof err->message, "out of memory");
    return PROWL_ERR_LIMIT;
  } catch (const std::exception& e) {
    copy_text(err->message, sizeof err->message, e.what());
    return PROWL_ERR_INTERNAL;
  } catch (...) {
    copy_text(err->message, sizeof err->message, "unknown exception");
    return PROWL_ERR_INTERNAL;
  }
}

/// One plugin instance: the host handle the object was given, and the object.
/// The handle lives exactly as long as the object that may keep a reference.
template <class T>
struct Instance {
  explicit Instance(const prowl_host_api* api) : host(api), object(host) {}
  Host host;
  T object;
};

template <class T>
T& object_of(void* self) noexcept {
  return static_cast<Instance<T>*>(self)->object;
}

template <class T>
struct Trampolines;

template <class T>
  requires std::is_base_of_v<Codec, T>
struct Trampolines<T> {
  static int32_t compress(void* self, const uint8_t* in, size_t len, int32_t level,
                          prowl_writer* w, char* used, prowl_error* err) noexcept {
    return guarded(err, [&] {
      Output out(w);
      std::string name = object_of<T>(self).compress({in, len}, level, out);
      copy_text(used, PROWL_NAME_MAX, name);
    });
  }
  static int32_t decompress(void* self, const uint8_t* in, size_t len, size_t original,
                            prowl_writer* w, prowl_error* err) noexcept {
    return guarded(err, [&] {
      Output out(w);
      object_of<T>(self).decompress({in, len}, original, out);
    });
  }
  static inline const prowl_codec_vtable vtable{sizeof(prowl_codec_vtable), &compress, &decompress};
};

template <class T>
  requires std::is_base_of_v<CodonEncoder, T>
struct Trampolines<T> {
  static int32_t encode(void* self, const uint8_t* in, size_t len, prowl_writer* w,
                        prowl_error* err) noexcept {
    return guarded(err, [&] {
      Output out(w);
      object_of<T>(self).encode({in, len}, out);
    });
  }
  static int32_t decode(void* self, const uint8_t* in, size_t len, prowl_writer* w,
                        prowl_error* err) noexcept {
    return guarded(err, [&] {
      Output out(w);
      object_of<T>(self).decode({in, len}, out);
    });
  }
  static inline const prowl_codon_vtable vtable{sizeof(prowl_codon_vtable), &encode, &decode};
};

template <class T>
  requires std::is_base_of_v<Agent, T>
struct Trampolines<T> {
  static int32_t start(void* self, prowl_error* err) noexcept {
    return guarded(err, [&] { object_of<T>(self).start(); });
  }
  static void stop(void* self) noexcept { object_of<T>(self).stop(); }
  static inline const prowl_agent_vtable vtable{sizeof(prowl_agent_vtable), &start, &stop};
};

/// The body of prowl_plugin_entry for class T.
template <class T>
int32_t entry(const prowl_host_api* api, prowl_plugin* out, prowl_error* err) noexcept {
  if (api == nullptr || api->abi_major != PROWL_ABI_MAJOR) {
    copy_text(err->message, sizeof err->message, "plugin built for a different prowl ABI major");
    return PROWL_ERR_UNSUPPORTED;
  }
  return guarded(err, [&] {
    out->self = new Instance<T>(api);
    out->vtable = &Trampolines<T>::vtable;
    out->destroy = [](void* p) noexcept { delete static_cast<Instance<T>*>(p); };
  });
}

}  // namespace detail
}  // namespace prowl

/// Declares the plugin: the manifest (constant data in its own ELF section,
/// read by the host without running code) and the entry point.
/// CLASS derives from prowl::Codec, CodonEncoder, Role or Hunt and has a
/// constructor taking prowl::Host&. NAME, VERSION, DESCRIPTION are string
/// literals; an over-long one fails to compile.
#define PROWL_PLUGIN(CLASS, NAME, VERSION, DESCRIPTION)                                    \
  extern "C" PROWL_EXPORT PROWL_MANIFEST_ATTRIBUTES                                        \
  const prowl_manifest prowl_plugin_manifest = {                                           \
      {'P', 'R', 'O', 'W', 'L', 'P', 'L', 'G'}, PROWL_ABI_MAJOR, PROWL_ABI_MINOR,          \
      ::prowl::detail::kind_of<CLASS>(),        0u, NAME, VERSION, DESCRIPTION};           \
  extern "C" PROWL_EXPORT int32_t prowl_plugin_entry(const prowl_host_api* api,           \
                                                     prowl_plugin* out, prowl_error* err) { \
    return ::prowl::detail::entry<CLASS>(api, out, err);                                   \
  }

#endif  // PROWL_SDK_HPP_
