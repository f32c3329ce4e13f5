#include "host/plugin_host/loader/host_api.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <string_view>

#include <prowl/dht.h>
#include <prowl/howl.h>
#include <prowl/net.h>
#include <prowl/pubsub.h>

#include <spdlog/spdlog.h>

#include "host/plugin_host/internal/call_guard.h"
#include "host/plugin_host/loader/host_services.h"

namespace prowl::plugins {
namespace {

/// How deeply codec calls may delegate through the host (auto -> zstd is 1).
constexpr int kMaxCodecNesting = 4;
thread_local int codec_nesting = 0;

/// Counts one level of codec delegation for the current thread.
class NestingGuard {
 public:
  NestingGuard() noexcept { ++codec_nesting; }
  ~NestingGuard() { --codec_nesting; }
  NestingGuard(const NestingGuard&) = delete;
  NestingGuard& operator=(const NestingGuard&) = delete;
  bool too_deep() const noexcept { return codec_nesting > kMaxCodecNesting; }
};

/// Copies text into a fixed C buffer of cap bytes, always terminating it.
void copy_text(char* dst, size_t cap, std::string_view text) noexcept {
  if (dst == nullptr || cap == 0) return;
  const size_t n = std::min(text.size(), cap - 1);
  std::memcpy(dst, text.data(), n);
  dst[n] = '\0';
}

int32_t fail(int32_t status, std::string_view message, prowl_error* err) noexcept {
  if (err != nullptr) copy_text(err->message, sizeof err->message, message);
  return status;
}

int32_t report(const CallResult& result, prowl_error* err) noexcept {
  return result.ok() ? PROWL_OK : fail(result.status, result.message, err);
}


/// True for a null pointer with a non-zero length.
bool bad_bytes(const uint8_t* p, size_t len) noexcept { return p == nullptr && len > 0; }

// ---- prowl_register_plugin ----

int32_t register_plugin(prowl_host* host, const prowl_plugin_def* def, prowl_error* err) {
  try {
    if (host == nullptr || def == nullptr)
      return fail(PROWL_ERR_INVALID_INPUT, "prowl_register_plugin: null argument", err);
    LibraryHost& library = LibraryHost::of(host);
    RegistrationSink* sink = library.sink();
    if (sink == nullptr)
      return fail(PROWL_ERR_INVALID_INPUT, "prowl_register_plugin: only during the library's entry", err);
    return report(sink->add(library, *def), err);
  } catch (...) {
    return fail(PROWL_ERR_INTERNAL, "host failure in prowl_register_plugin", err);
  }
}

// ---- core: log, config, codecs ----

void log_line(prowl_plugin_ctx* ctx, int32_t level, const char* message) {
  try {
    if (ctx == nullptr) return;
    PluginContext& c = PluginContext::of(ctx);
    const auto lvl = static_cast<prowl_log_level>(std::clamp<int32_t>(level, PROWL_LOG_TRACE, PROWL_LOG_ERROR));
    const std::string_view text = message == nullptr ? std::string_view() : std::string_view(message);
    if (const HostServices* services = c.services()) {
      services->log(c.name(), lvl, text);
    } else {
      spdlog::warn("plugin '{}' (detached): {}", c.name(), text);
    }
  } catch (...) {
    // Logging must never fail the plugin; a line that cannot be written is dropped.
  }
}

int64_t config_get(prowl_plugin_ctx* ctx, const char* key, char* buf, size_t cap) {
  try {
    if (ctx == nullptr || key == nullptr) return -1;
    PluginContext& c = PluginContext::of(ctx);
    const HostServices* services = c.services();
    if (services == nullptr) return -1;
    std::optional<std::string> value = services->config(c.name(), key);
    if (!value) return -1;
    copy_text(buf, cap, *value);
    return static_cast<int64_t>(value->size());
  } catch (...) {
    return -1;
  }
}

/// Runs a codec call of `what` with the attached services and the nesting guard.
template <class F>
int32_t with_codecs(prowl_plugin_ctx* ctx, const char* what, prowl_error* err, F&& call) noexcept {
  try {
    if (ctx == nullptr) return fail(PROWL_ERR_INVALID_INPUT, std::string(what) + ": null context", err);
    const HostServices* services = PluginContext::of(ctx).services();
    if (services == nullptr) return fail(PROWL_ERR_NOT_FOUND, "no host registry is attached", err);
    NestingGuard nesting;
    if (nesting.too_deep()) return fail(PROWL_ERR_LIMIT, "codec calls nested too deeply", err);
    return report(call(*services), err);
  } catch (...) {
    return fail(PROWL_ERR_INTERNAL, std::string("host failure in ") + what, err);
  }
}

int32_t codec_compress(prowl_plugin_ctx* ctx, const char* codec, const uint8_t* in, size_t len, int32_t level,
                       prowl_writer* out, prowl_error* err) {
  if (codec == nullptr || out == nullptr || bad_bytes(in, len))
    return fail(PROWL_ERR_INVALID_INPUT, "prowl_codec_compress: null argument", err);
  return with_codecs(ctx, "prowl_codec_compress", err, [&](const HostServices& services) {
    return services.codec_compress(codec, {in, len}, level, out);
  });
}

int32_t codec_decompress(prowl_plugin_ctx* ctx, const char* codec, const uint8_t* in, size_t len,
                         size_t original_size, prowl_writer* out, prowl_error* err) {
  if (codec == nullptr || out == nullptr || bad_bytes(in, len))
    return fail(PROWL_ERR_INVALID_INPUT, "prowl_codec_decompress: null argument", err);
  return with_codecs(ctx, "prowl_codec_decompress", err, [&](const HostServices& services) {
    return services.codec_decompress(codec, {in, len}, original_size, out);
  });
}

int32_t codec_name(prowl_plugin_ctx* ctx, size_t index, char* buf, size_t cap) {
  try {
    if (ctx == nullptr) return 0;
    const HostServices* services = PluginContext::of(ctx).services();
    if (services == nullptr) return 0;
    std::optional<std::string> name = services->codec_name(index);
    if (!name) return 0;
    copy_text(buf, cap, *name);
    return 1;
  } catch (...) {
    return 0;
  }
}

// ---- the service groups ----

/// Runs call(Service&, PluginContext&) -> CallResult with the bound service
/// `member`, reporting a null context, a detached plugin, a stopped plugin,
/// a missing service or an exception through err.
template <class Service, class F>
int32_t with_service(prowl_plugin_ctx* ctx, Service* ServiceSet::*member, const char* what, prowl_error* err,
                     F&& call) noexcept {
  try {
    if (ctx == nullptr) return fail(PROWL_ERR_INVALID_INPUT, std::string(what) + ": null context", err);
    PluginContext& c = PluginContext::of(ctx);
    const HostServices* services = c.services();
    if (services == nullptr)
      return fail(PROWL_ERR_UNSUPPORTED, std::string(what) + ": no host registry is attached", err);
    const ServiceLease lease = services->services();
    if (c.stopped()) return fail(PROWL_ERR_CLOSED, std::string(what) + ": plugin '" + c.name() + "' has stopped", err);
    Service* service = lease.set().*member;
    if (service == nullptr)
      return fail(PROWL_ERR_UNSUPPORTED, std::string(what) + ": this host runs no such service", err);
    return report(call(*service, c), err);
  } catch (...) {
    return fail(PROWL_ERR_INTERNAL, std::string("host failure in ") + what, err);
  }
}

template <class F>
int32_t with_net(prowl_plugin_ctx* ctx, const char* what, prowl_error* err, F&& call) noexcept {
  return with_service(ctx, &ServiceSet::net, what, err, std::forward<F>(call));
}

int64_t local_peer_id(prowl_plugin_ctx* ctx, char* buf, size_t cap) {
  try {
    if (ctx == nullptr) return -1;
    const HostServices* services = PluginContext::of(ctx).services();
    if (services == nullptr) return -1;
    const ServiceLease lease = services->services();
    NetServices* net = lease.set().net;
    std::optional<std::string> id = net == nullptr ? std::nullopt : net->local_peer_id();
    if (!id) return -1;
    copy_text(buf, cap, *id);
    return static_cast<int64_t>(id->size());
  } catch (...) {
    return -1;
  }
}

int32_t connected_peers(prowl_plugin_ctx* ctx, prowl_writer* out, prowl_error* err) {
  if (out == nullptr) return fail(PROWL_ERR_INVALID_INPUT, "prowl_connected_peers: null writer", err);
  return with_net(ctx, "prowl_connected_peers", err,
                  [&](NetServices& net, PluginContext&) { return net.connected_peers(out); });
}

int32_t stream_listen(prowl_plugin_ctx* ctx, const char* protocol, const prowl_stream_callbacks* callbacks,
                      void* user, prowl_error* err) {
  if (protocol == nullptr || callbacks == nullptr)
    return fail(PROWL_ERR_INVALID_INPUT, "prowl_stream_listen: null argument", err);
  return with_net(ctx, "prowl_stream_listen", err, [&](NetServices& net, PluginContext& c) {
    return net.stream_listen(c, protocol, *callbacks, user);
  });
}

int32_t stream_open(prowl_plugin_ctx* ctx, const char* peer, const char* protocol,
                    const prowl_stream_callbacks* callbacks, void* user, prowl_error* err) {
  if (peer == nullptr || protocol == nullptr || callbacks == nullptr)
    return fail(PROWL_ERR_INVALID_INPUT, "prowl_stream_open: null argument", err);
  return with_net(ctx, "prowl_stream_open", err, [&](NetServices& net, PluginContext& c) {
    return net.stream_open(c, peer, protocol, *callbacks, user);
  });
}

int32_t stream_write(prowl_plugin_ctx* ctx, prowl_stream* stream, const uint8_t* data, size_t len, prowl_error* err) {
  if (bad_bytes(data, len)) return fail(PROWL_ERR_INVALID_INPUT, "prowl_stream_write: null data", err);
  return with_net(ctx, "prowl_stream_write", err,
                  [&](NetServices& net, PluginContext& c) { return net.stream_write(c, stream, {data, len}); });
}

int32_t stream_close_write(prowl_plugin_ctx* ctx, prowl_stream* stream, prowl_error* err) {
  return with_net(ctx, "prowl_stream_close_write", err,
                  [&](NetServices& net, PluginContext& c) { return net.stream_close_write(c, stream); });
}

int32_t stream_reset(prowl_plugin_ctx* ctx, prowl_stream* stream, prowl_error* err) {
  return with_net(ctx, "prowl_stream_reset", err,
                  [&](NetServices& net, PluginContext& c) { return net.stream_reset(c, stream); });
}

int32_t rr_serve(prowl_plugin_ctx* ctx, const char* name, prowl_rr_handler_fn handler, void* user, prowl_error* err) {
  if (name == nullptr || handler == nullptr)
    return fail(PROWL_ERR_INVALID_INPUT, "prowl_rr_serve: null argument", err);
  return with_net(ctx, "prowl_rr_serve", err,
                  [&](NetServices& net, PluginContext& c) { return net.rr_serve(c, name, handler, user); });
}

int32_t rr_respond(prowl_plugin_ctx* ctx, prowl_rr_request* request, const uint8_t* data, size_t len,
                   prowl_error* err) {
  if (bad_bytes(data, len)) return fail(PROWL_ERR_INVALID_INPUT, "prowl_rr_respond: null data", err);
  return with_net(ctx, "prowl_rr_respond", err,
                  [&](NetServices& net, PluginContext& c) { return net.rr_respond(c, request, {data, len}); });
}

int32_t rr_fail(prowl_plugin_ctx* ctx, prowl_rr_request* request, int32_t status, const char* message,
                prowl_error* err) {
  return with_net(ctx, "prowl_rr_fail", err, [&](NetServices& net, PluginContext& c) {
    return net.rr_fail(c, request, status, message == nullptr ? std::string_view() : message);
  });
}

int32_t rr_request(prowl_plugin_ctx* ctx, const char* peer, const char* name, const uint8_t* data, size_t len,
                   uint32_t timeout_ms, const prowl_rr_callbacks* callbacks, void* user, prowl_error* err) {
  if (peer == nullptr || name == nullptr || callbacks == nullptr || bad_bytes(data, len))
    return fail(PROWL_ERR_INVALID_INPUT, "prowl_rr_request: null argument", err);
  return with_net(ctx, "prowl_rr_request", err, [&](NetServices& net, PluginContext& c) {
    return net.rr_request(c, peer, name, {data, len}, timeout_ms, *callbacks, user);
  });
}

int32_t dht_put(prowl_plugin_ctx* ctx, const uint8_t* key, size_t key_len, const uint8_t* value, size_t value_len,
                prowl_dht_done_fn done, void* user, prowl_error* err) {
  if (bad_bytes(key, key_len) || bad_bytes(value, value_len) || done == nullptr)
    return fail(PROWL_ERR_INVALID_INPUT, "prowl_dht_put: null argument", err);
  return with_service(ctx, &ServiceSet::dht, "dht_put", err, [&](DhtServices& dht, PluginContext& c) {
    return dht.put(c, {key, key_len}, {value, value_len}, {done, user});
  });
}

int32_t dht_get(prowl_plugin_ctx* ctx, const uint8_t* key, size_t key_len, prowl_dht_done_fn done, void* user,
                prowl_error* err) {
  if (bad_bytes(key, key_len) || done == nullptr)
    return fail(PROWL_ERR_INVALID_INPUT, "prowl_dht_get: null argument", err);
  return with_service(ctx, &ServiceSet::dht, "dht_get", err,
                      [&](DhtServices& dht, PluginContext& c) { return dht.get(c, {key, key_len}, {done, user}); });
}

int32_t dht_provide(prowl_plugin_ctx* ctx, const uint8_t* key, size_t key_len, prowl_dht_done_fn done, void* user,
                    prowl_error* err) {
  if (bad_bytes(key, key_len) || done == nullptr)
    return fail(PROWL_ERR_INVALID_INPUT, "prowl_dht_provide: null argument", err);
  return with_service(ctx, &ServiceSet::dht, "dht_provide", err,
                      [&](DhtServices& dht, PluginContext& c) { return dht.provide(c, {key, key_len}, {done, user}); });
}

int32_t dht_find_providers(prowl_plugin_ctx* ctx, const uint8_t* key, size_t key_len, uint32_t max,
                           prowl_dht_done_fn done, void* user, prowl_error* err) {
  if (bad_bytes(key, key_len) || done == nullptr)
    return fail(PROWL_ERR_INVALID_INPUT, "prowl_dht_find_providers: null argument", err);
  return with_service(ctx, &ServiceSet::dht, "dht_find_providers", err, [&](DhtServices& dht, PluginContext& c) {
    return dht.find_providers(c, {key, key_len}, max, {done, user});
  });
}

int32_t dht_find_peer(prowl_plugin_ctx* ctx, const char* peer, prowl_dht_done_fn done, void* user, prowl_error* err) {
  if (peer == nullptr || done == nullptr)
    return fail(PROWL_ERR_INVALID_INPUT, "prowl_dht_find_peer: null argument", err);
  return with_service(ctx, &ServiceSet::dht, "dht_find_peer", err,
                      [&](DhtServices& dht, PluginContext& c) { return dht.find_peer(c, peer, {done, user}); });
}

int32_t dht_closest_peers(prowl_plugin_ctx* ctx, const uint8_t* key, size_t key_len, prowl_dht_done_fn done,
                          void* user, prowl_error* err) {
  if (bad_bytes(key, key_len) || done == nullptr)
    return fail(PROWL_ERR_INVALID_INPUT, "prowl_dht_closest_peers: null argument", err);
  return with_service(ctx, &ServiceSet::dht, "dht_closest_peers", err, [&](DhtServices& dht, PluginContext& c) {
    return dht.closest_peers(c, {key, key_len}, {done, user});
  });
}

int32_t pubsub_subscribe(prowl_plugin_ctx* ctx, const char* topic, prowl_pubsub_message_fn on_message, void* user,
                         uint64_t* id, prowl_error* err) {
  if (topic == nullptr || on_message == nullptr || id == nullptr)
    return fail(PROWL_ERR_INVALID_INPUT, "prowl_pubsub_subscribe: null argument", err);
  return with_service(ctx, &ServiceSet::pubsub, "pubsub_subscribe", err, [&](PubsubServices& pubsub, PluginContext& c) {
    return pubsub.subscribe(c, topic, on_message, user, id);
  });
}

int32_t pubsub_unsubscribe(prowl_plugin_ctx* ctx, uint64_t id, prowl_error* err) {
  return with_service(ctx, &ServiceSet::pubsub, "pubsub_unsubscribe", err,
                      [&](PubsubServices& pubsub, PluginContext& c) { return pubsub.unsubscribe(c, id); });
}

int32_t pubsub_publish(prowl_plugin_ctx* ctx, const char* topic, const uint8_t* data, size_t len, prowl_error* err) {
  if (topic == nullptr || bad_bytes(data, len))
    return fail(PROWL_ERR_INVALID_INPUT, "prowl_pubsub_publish: null argument", err);
  return with_service(ctx, &ServiceSet::pubsub, "pubsub_publish", err, [&](PubsubServices& pubsub, PluginContext& c) {
    return pubsub.publish(c, topic, {data, len});
  });
}

int32_t pubsub_validate(prowl_plugin_ctx* ctx, const char* topic, prowl_pubsub_validator_fn validator, void* user,
                        prowl_error* err) {
  if (topic == nullptr || validator == nullptr)
    return fail(PROWL_ERR_INVALID_INPUT, "prowl_pubsub_validate: null argument", err);
  return with_service(ctx, &ServiceSet::pubsub, "pubsub_validate", err, [&](PubsubServices& pubsub, PluginContext& c) {
    return pubsub.validate(c, topic, validator, user);
  });
}

int32_t howl_send(prowl_plugin_ctx* ctx, uint32_t pattern, uint32_t range, uint32_t frequency,
                  const uint8_t* payload, size_t len, prowl_error* err) {
  if (bad_bytes(payload, len)) return fail(PROWL_ERR_INVALID_INPUT, "prowl_howl_send: null payload", err);
  return with_service(ctx, &ServiceSet::howl, "howl_send", err, [&](HowlServices& howl, PluginContext& c) {
    return howl.send(c, pattern, range, frequency, {payload, len});
  });
}

int32_t howl_subscribe(prowl_plugin_ctx* ctx, uint32_t pattern, uint32_t range, prowl_howl_fn on_howl, void* user,
                       uint64_t* id, prowl_error* err) {
  if (on_howl == nullptr || id == nullptr)
    return fail(PROWL_ERR_INVALID_INPUT, "prowl_howl_subscribe: null argument", err);
  return with_service(ctx, &ServiceSet::howl, "howl_subscribe", err, [&](HowlServices& howl, PluginContext& c) {
    return howl.subscribe(c, pattern, range, on_howl, user, id);
  });
}

int32_t howl_unsubscribe(prowl_plugin_ctx* ctx, uint64_t id, prowl_error* err) {
  return with_service(ctx, &ServiceSet::howl, "howl_unsubscribe", err,
                      [&](HowlServices& howl, PluginContext& c) { return howl.unsubscribe(c, id); });
}

int32_t howl_counts(prowl_plugin_ctx* ctx, uint32_t pattern, uint64_t* sent, uint64_t* received, prowl_error* err) {
  if (sent == nullptr || received == nullptr)
    return fail(PROWL_ERR_INVALID_INPUT, "prowl_howl_counts: null argument", err);
  return with_service(ctx, &ServiceSet::howl, "howl_counts", err,
                      [&](HowlServices& howl, PluginContext&) { return howl.counts(pattern, sent, received); });
}

/// One named host function. The typedef check keeps each name's signature
/// the one its header declares.
struct Named {
  std::string_view name;
  prowl_proc proc;
};

template <class Fn>
prowl_proc as_proc(Fn fn) noexcept {
  return reinterpret_cast<prowl_proc>(fn);
}

#define PROWL_NAMED(NAME, FN) \
  Named { #NAME, as_proc<NAME##_fn>(&FN) }

/// Every host function, sorted by name.
const std::array kFunctions = std::to_array<Named>({
    PROWL_NAMED(prowl_codec_compress, codec_compress),
    PROWL_NAMED(prowl_codec_decompress, codec_decompress),
    PROWL_NAMED(prowl_codec_name, codec_name),
    PROWL_NAMED(prowl_config_get, config_get),
    PROWL_NAMED(prowl_connected_peers, connected_peers),
    PROWL_NAMED(prowl_dht_closest_peers, dht_closest_peers),
    PROWL_NAMED(prowl_dht_find_peer, dht_find_peer),
    PROWL_NAMED(prowl_dht_find_providers, dht_find_providers),
    PROWL_NAMED(prowl_dht_get, dht_get),
    PROWL_NAMED(prowl_dht_provide, dht_provide),
    PROWL_NAMED(prowl_dht_put, dht_put),
    PROWL_NAMED(prowl_howl_counts, howl_counts),
    PROWL_NAMED(prowl_howl_send, howl_send),
    PROWL_NAMED(prowl_howl_subscribe, howl_subscribe),
    PROWL_NAMED(prowl_howl_unsubscribe, howl_unsubscribe),
    PROWL_NAMED(prowl_local_peer_id, local_peer_id),
    PROWL_NAMED(prowl_log, log_line),
    PROWL_NAMED(prowl_pubsub_publish, pubsub_publish),
    PROWL_NAMED(prowl_pubsub_subscribe, pubsub_subscribe),
    PROWL_NAMED(prowl_pubsub_unsubscribe, pubsub_unsubscribe),
    PROWL_NAMED(prowl_pubsub_validate, pubsub_validate),
    PROWL_NAMED(prowl_register_plugin, register_plugin),
    PROWL_NAMED(prowl_rr_fail, rr_fail),
    PROWL_NAMED(prowl_rr_request, rr_request),
    PROWL_NAMED(prowl_rr_respond, rr_respond),
    PROWL_NAMED(prowl_rr_serve, rr_serve),
    PROWL_NAMED(prowl_stream_close_write, stream_close_write),
    PROWL_NAMED(prowl_stream_listen, stream_listen),
    PROWL_NAMED(prowl_stream_open, stream_open),
    PROWL_NAMED(prowl_stream_reset, stream_reset),
    PROWL_NAMED(prowl_stream_write, stream_write),
});

#undef PROWL_NAMED

}  // namespace

prowl_proc get_proc(const char* name) noexcept {
  if (name == nullptr) return nullptr;
  const std::string_view wanted(name);
  auto it = std::lower_bound(kFunctions.begin(), kFunctions.end(), wanted,
                             [](const Named& f, std::string_view n) { return f.name < n; });
  return it != kFunctions.end() && it->name == wanted ? it->proc : nullptr;
}

LibraryHost& LibraryHost::for_library(const boost::dll::shared_library& library) {
  // Never destroyed: libraries, their hosts and contexts live until the process ends.
  static std::mutex* mutex = new std::mutex;
  static auto* hosts = new std::map<void*, std::unique_ptr<LibraryHost>>;
  std::lock_guard lock(*mutex);
  auto& slot = (*hosts)[library.native()];
  if (!slot) slot.reset(new LibraryHost(library));
  return *slot;
}

PluginContext& LibraryHost::context(const std::string& name, prowl_kind kind) {
  std::lock_guard lock(mutex_);
  auto& slot = contexts_[name];
  if (!slot) slot = std::make_unique<PluginContext>(name, kind);
  return *slot;
}

CallResult LibraryHost::run_entry(prowl_entry_fn entry, RegistrationSink& sink) {
  std::lock_guard lock(entry_mutex_);
  sink_ = &sink;
  CallResult result = call_guarded([&](prowl_error* err) { return entry(handle(), &get_proc, err); });
  sink_ = nullptr;
  return result;
}

}  // namespace prowl::plugins
