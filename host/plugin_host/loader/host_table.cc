#include "host/plugin_host/loader/host_table.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <string_view>

#include <spdlog/spdlog.h>


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

}  // namespace

HostTable& HostTable::for_library(const boost::dll::shared_library& library,
                                  const std::string& plugin) {
  // Never destroyed: libraries and their tables live until the process ends.
  static std::mutex* mutex = new std::mutex;
  static auto* tables = new std::map<void*, std::unique_ptr<HostTable>>;
  std::lock_guard lock(*mutex);
  auto& slot = (*tables)[library.native()];
  if (!slot) slot.reset(new HostTable(library, plugin));
  return *slot;
}

HostTable::HostTable(boost::dll::shared_library library, std::string plugin)
    : library_(std::move(library)), plugin_(std::move(plugin)) {
  api_.struct_size = sizeof(prowl_host_api);
  api_.abi_major = PROWL_ABI_MAJOR;
  api_.abi_minor = PROWL_ABI_MINOR;
  api_.host = this;
  api_.log = &HostTable::log_cb;
  api_.config_get = &HostTable::config_get_cb;
  api_.codec_compress = &HostTable::codec_compress_cb;
  api_.codec_decompress = &HostTable::codec_decompress_cb;
  api_.codec_name = &HostTable::codec_name_cb;
  api_.local_peer_id = &HostTable::local_peer_id_cb;
  api_.connected_peers = &HostTable::connected_peers_cb;
  api_.stream_listen = &HostTable::stream_listen_cb;
  api_.stream_open = &HostTable::stream_open_cb;
  api_.stream_write = &HostTable::stream_write_cb;
  api_.stream_close_write = &HostTable::stream_close_write_cb;
  api_.stream_reset = &HostTable::stream_reset_cb;
  api_.rr_serve = &HostTable::rr_serve_cb;
  api_.rr_respond = &HostTable::rr_respond_cb;
  api_.rr_fail = &HostTable::rr_fail_cb;
  api_.rr_request = &HostTable::rr_request_cb;
  api_.dht_put = &HostTable::dht_put_cb;
  api_.dht_get = &HostTable::dht_get_cb;
  api_.dht_provide = &HostTable::dht_provide_cb;
  api_.dht_find_providers = &HostTable::dht_find_providers_cb;
  api_.dht_find_peer = &HostTable::dht_find_peer_cb;
  api_.dht_closest_peers = &HostTable::dht_closest_peers_cb;
  api_.pubsub_subscribe = &HostTable::pubsub_subscribe_cb;
  api_.pubsub_unsubscribe = &HostTable::pubsub_unsubscribe_cb;
  api_.pubsub_publish = &HostTable::pubsub_publish_cb;
  api_.pubsub_validate = &HostTable::pubsub_validate_cb;
  api_.howl_send = &HostTable::howl_send_cb;
  api_.howl_subscribe = &HostTable::howl_subscribe_cb;
  api_.howl_unsubscribe = &HostTable::howl_unsubscribe_cb;
  api_.howl_counts = &HostTable::howl_counts_cb;
}

void HostTable::detach(const HostServices* services) noexcept {
  const HostServices* expected = services;
  services_.compare_exchange_strong(expected, nullptr);
}

void HostTable::log_cb(void* host, int32_t level, const char* message) {
  try {
    auto* self = static_cast<HostTable*>(host);
    const auto lvl = static_cast<prowl_log_level>(std::clamp<int32_t>(level, PROWL_LOG_TRACE, PROWL_LOG_ERROR));
    const std::string_view text = message == nullptr ? std::string_view() : std::string_view(message);
    if (const HostServices* services = self->services_.load()) {
      services->log(self->plugin_, lvl, text);
    } else {
      spdlog::warn("plugin '{}' (detached): {}", self->plugin_, text);
    }
  } catch (...) {
    // Logging must never fail the plugin; a line that cannot be written is dropped.
  }
}

int64_t HostTable::config_get_cb(void* host, const char* key, char* buf, size_t cap) {
  try {
    auto* self = static_cast<HostTable*>(host);
    const HostServices* services = self->services_.load();
    if (services == nullptr || key == nullptr) return -1;
    std::optional<std::string> value = services->config(self->plugin_, key);
    if (!value) return -1;
    copy_text(buf, cap, *value);
    return static_cast<int64_t>(value->size());
  } catch (...) {
    return -1;
  }
}

int32_t HostTable::codec_compress_cb(void* host, const char* codec, const uint8_t* in, size_t len,
                                     int32_t level, prowl_writer* out, prowl_error* err) {
  try {
    auto* self = static_cast<HostTable*>(host);
    const HostServices* services = self->services_.load();
    if (services == nullptr) return fail(PROWL_ERR_NOT_FOUND, "no host registry is attached", err);
    if (codec == nullptr || out == nullptr || (in == nullptr && len > 0))
      return fail(PROWL_ERR_INVALID_INPUT, "codec_compress: null argument", err);
    NestingGuard nesting;
    if (nesting.too_deep()) return fail(PROWL_ERR_LIMIT, "codec calls nested too deeply", err);
    return report(services->codec_compress(codec, {in, len}, level, out), err);
  } catch (...) {
    return fail(PROWL_ERR_INTERNAL, "host failure in codec_compress", err);
  }
}

int32_t HostTable::codec_decompress_cb(void* host, const char* codec, const uint8_t* in, size_t len,
                                       size_t original_size, prowl_writer* out, prowl_error* err) {
  try {
    auto* self = static_cast<HostTable*>(host);
    const HostServices* services = self->services_.load();
    if (services == nullptr) return fail(PROWL_ERR_NOT_FOUND, "no host registry is attached", err);
    if (codec == nullptr || out == nullptr || (in == nullptr && len > 0))
      return fail(PROWL_ERR_INVALID_INPUT, "codec_decompress: null argument", err);
    NestingGuard nesting;
    if (nesting.too_deep()) return fail(PROWL_ERR_LIMIT, "codec calls nested too deeply", err);
    return report(services->codec_decompress(codec, {in, len}, original_size, out), err);
  } catch (...) {
    return fail(PROWL_ERR_INTERNAL, "host failure in codec_decompress", err);
  }
}

int32_t HostTable::codec_name_cb(void* host, size_t index, char* buf, size_t cap) {
  try {
    auto* self = static_cast<HostTable*>(host);
    const HostServices* services = self->services_.load();
    if (services == nullptr) return 0;
    std::optional<std::string> name = services->codec_name(index);
    if (!name) return 0;
    copy_text(buf, cap, *name);
    return 1;
  } catch (...) {
    return 0;
  }
}

template <class Service, class F>
int32_t HostTable::with_service(void* host, Service* ServiceSet::*member, const char* what, prowl_error* err,
                                F&& call) noexcept {
  try {
    auto* self = static_cast<HostTable*>(host);
    const HostServices* services = self->services_.load();
    if (services == nullptr)
      return fail(PROWL_ERR_UNSUPPORTED, std::string(what) + ": no host registry is attached", err);
    const ServiceLease lease = services->services(self->plugin_);
    if (lease.stopped())
      return fail(PROWL_ERR_CLOSED, std::string(what) + ": plugin '" + self->plugin_ + "' has stopped", err);
    Service* service = lease.set().*member;
    if (service == nullptr)
      return fail(PROWL_ERR_UNSUPPORTED, std::string(what) + ": this host runs no such service", err);
    return report(call(*service, std::string_view(self->plugin_)), err);
  } catch (...) {
    return fail(PROWL_ERR_INTERNAL, std::string("host failure in ") + what, err);
  }
}

int64_t HostTable::local_peer_id_cb(void* host, char* buf, size_t cap) {
  try {
    auto* self = static_cast<HostTable*>(host);
    const HostServices* services = self->services_.load();
    if (services == nullptr) return -1;
    const ServiceLease lease = services->services(self->plugin_);
    NetServices* net = lease.set().net;
    std::optional<std::string> id = net == nullptr ? std::nullopt : net->local_peer_id();
    if (!id) return -1;
    copy_text(buf, cap, *id);
    return static_cast<int64_t>(id->size());
  } catch (...) {
    return -1;
  }
}

int32_t HostTable::connected_peers_cb(void* host, prowl_writer* out, prowl_error* err) {
  if (out == nullptr) return fail(PROWL_ERR_INVALID_INPUT, "connected_peers: null writer", err);
  return with_net(host, "connected_peers", err,
                  [&](NetServices& net, std::string_view) { return net.connected_peers(out); });
}

int32_t HostTable::stream_listen_cb(void* host, const char* protocol, const prowl_stream_callbacks* callbacks,
                                    void* user, prowl_error* err) {
  if (protocol == nullptr || callbacks == nullptr)
    return fail(PROWL_ERR_INVALID_INPUT, "stream_listen: null argument", err);
  return with_net(host, "stream_listen", err, [&](NetServices& net, std::string_view plugin) {
    return net.stream_listen(plugin, protocol, *callbacks, user);
  });
}

int32_t HostTable::stream_open_cb(void* host, const char* peer, const char* protocol,
                                  const prowl_stream_callbacks* callbacks, void* user, prowl_error* err) {
  if (peer == nullptr || protocol == nullptr || callbacks == nullptr)
    return fail(PROWL_ERR_INVALID_INPUT, "stream_open: null argument", err);
  return with_net(host, "stream_open", err, [&](NetServices& net, std::string_view plugin) {
    return net.stream_open(plugin, peer, protocol, *callbacks, user);
  });
}

int32_t HostTable::stream_write_cb(void* host, prowl_stream* stream, const uint8_t* data, size_t len,
                                   prowl_error* err) {
  if (data == nullptr && len > 0) return fail(PROWL_ERR_INVALID_INPUT, "stream_write: null data", err);
  return with_net(host, "stream_write", err, [&](NetServices& net, std::string_view plugin) {
    return net.stream_write(plugin, stream, {data, len});
  });
}

int32_t HostTable::stream_close_write_cb(void* host, prowl_stream* stream, prowl_error* err) {
  return with_net(host, "stream_close_write", err, [&](NetServices& net, std::string_view plugin) {
    return net.stream_close_write(plugin, stream);
  });
}

int32_t HostTable::stream_reset_cb(void* host, prowl_stream* stream, prowl_error* err) {
  return with_net(host, "stream_reset", err, [&](NetServices& net, std::string_view plugin) {
    return net.stream_reset(plugin, stream);
  });
}

int32_t HostTable::rr_serve_cb(void* host, const char* name, prowl_rr_handler_fn handler, void* user,
                               prowl_error* err) {
  if (name == nullptr || handler == nullptr) return fail(PROWL_ERR_INVALID_INPUT, "rr_serve: null argument", err);
  return with_net(host, "rr_serve", err, [&](NetServices& net, std::string_view plugin) {
    return net.rr_serve(plugin, name, handler, user);
  });
}

int32_t HostTable::rr_respond_cb(void* host, prowl_rr_request* request, const uint8_t* data, size_t len,
                                 prowl_error* err) {
  if (data == nullptr && len > 0) return fail(PROWL_ERR_INVALID_INPUT, "rr_respond: null data", err);
  return with_net(host, "rr_respond", err, [&](NetServices& net, std::string_view plugin) {
    return net.rr_respond(plugin, request, {data, len});
  });
}

int32_t HostTable::rr_fail_cb(void* host, prowl_rr_request* request, int32_t status, const char* message,
                              prowl_error* err) {
  return with_net(host, "rr_fail", err, [&](NetServices& net, std::string_view plugin) {
    return net.rr_fail(plugin, request, status, message == nullptr ? std::string_view() : message);
  });
}

int32_t HostTable::rr_request_cb(void* host, const char* peer, const char* name, const uint8_t* data, size_t len,
                                 uint32_t timeout_ms, const prowl_rr_callbacks* callbacks, void* user,
                                 prowl_error* err) {
  if (peer == nullptr || name == nullptr || callbacks == nullptr || (data == nullptr && len > 0))
    return fail(PROWL_ERR_INVALID_INPUT, "rr_request: null argument", err);
  return with_net(host, "rr_request", err, [&](NetServices& net, std::string_view plugin) {
    return net.rr_request(plugin, peer, name, {data, len}, timeout_ms, *callbacks, user);
  });
}

// ---- ABI 1.2: DHT, pub/sub, howls ----

namespace {

/// True for a null pointer with a non-zero length.
bool bad_bytes(const uint8_t* p, size_t len) noexcept { return p == nullptr && len > 0; }

}  // namespace

int32_t HostTable::dht_put_cb(void* host, const uint8_t* key, size_t key_len, const uint8_t* value,
                              size_t value_len, prowl_dht_done_fn done, void* user, prowl_error* err) {
  if (bad_bytes(key, key_len) || bad_bytes(value, value_len) || done == nullptr)
    return fail(PROWL_ERR_INVALID_INPUT, "dht_put: null argument", err);
  return with_service(host, &ServiceSet::dht, "dht_put", err, [&](DhtServices& dht, std::string_view plugin) {
    return dht.put(plugin, {key, key_len}, {value, value_len}, {done, user});
  });
}

int32_t HostTable::dht_get_cb(void* host, const uint8_t* key, size_t key_len, prowl_dht_done_fn done, void* user,
                              prowl_error* err) {
  if (bad_bytes(key, key_len) || done == nullptr) return fail(PROWL_ERR_INVALID_INPUT, "dht_get: null argument", err);
  return with_service(host, &ServiceSet::dht, "dht_get", err, [&](DhtServices& dht, std::string_view plugin) {
    return dht.get(plugin, {key, key_len}, {done, user});
  });
}

int32_t HostTable::dht_provide_cb(void* host, const uint8_t* key, size_t key_len, prowl_dht_done_fn done,
                                  void* user, prowl_error* err) {
  if (bad_bytes(key, key_len) || done == nullptr)
    return fail(PROWL_ERR_INVALID_INPUT, "dht_provide: null argument", err);
  return with_service(host, &ServiceSet::dht, "dht_provide", err, [&](DhtServices& dht, std::string_view plugin) {
    return dht.provide(plugin, {key, key_len}, {done, user});
  });
}

int32_t HostTable::dht_find_providers_cb(void* host, const uint8_t* key, size_t key_len, uint32_t max,
                                         prowl_dht_done_fn done, void* user, prowl_error* err) {
  if (bad_bytes(key, key_len) || done == nullptr)
    return fail(PROWL_ERR_INVALID_INPUT, "dht_find_providers: null argument", err);
  return with_service(host, &ServiceSet::dht, "dht_find_providers", err,
                      [&](DhtServices& dht, std::string_view plugin) {
                        return dht.find_providers(plugin, {key, key_len}, max, {done, user});
                      });
}

int32_t HostTable::dht_find_peer_cb(void* host, const char* peer, prowl_dht_done_fn done, void* user,
                                    prowl_error* err) {
  if (peer == nullptr || done == nullptr) return fail(PROWL_ERR_INVALID_INPUT, "dht_find_peer: null argument", err);
  return with_service(host, &ServiceSet::dht, "dht_find_peer", err, [&](DhtServices& dht, std::string_view plugin) {
    return dht.find_peer(plugin, peer, {done, user});
  });
}

int32_t HostTable::dht_closest_peers_cb(void* host, const uint8_t* key, size_t key_len, prowl_dht_done_fn done,
                                        void* user, prowl_error* err) {
  if (bad_bytes(key, key_len) || done == nullptr)
    return fail(PROWL_ERR_INVALID_INPUT, "dht_closest_peers: null argument", err);
  return with_service(host, &ServiceSet::dht, "dht_closest_peers", err,
                      [&](DhtServices& dht, std::string_view plugin) {
                        return dht.closest_peers(plugin, {key, key_len}, {done, user});
                      });
}

int32_t HostTable::pubsub_subscribe_cb(void* host, const char* topic, prowl_pubsub_message_fn on_message, void* user,
                                       uint64_t* id, prowl_error* err) {
  if (topic == nullptr || on_message == nullptr || id == nullptr)
    return fail(PROWL_ERR_INVALID_INPUT, "pubsub_subscribe: null argument", err);
  return with_service(host, &ServiceSet::pubsub, "pubsub_subscribe", err,
                      [&](PubsubServices& pubsub, std::string_view plugin) {
                        return pubsub.subscribe(plugin, topic, on_message, user, id);
                      });
}

int32_t HostTable::pubsub_unsubscribe_cb(void* host, uint64_t id, prowl_error* err) {
  return with_service(host, &ServiceSet::pubsub, "pubsub_unsubscribe", err,
                      [&](PubsubServices& pubsub, std::string_view plugin) { return pubsub.unsubscribe(plugin, id); });
}

int32_t HostTable::pubsub_publish_cb(void* host, const char* topic, const uint8_t* data, size_t len,
                                     prowl_error* err) {
  if (topic == nullptr || bad_bytes(data, len))
    return fail(PROWL_ERR_INVALID_INPUT, "pubsub_publish: null argument", err);
  return with_service(host, &ServiceSet::pubsub, "pubsub_publish", err,
                      [&](PubsubServices& pubsub, std::string_view plugin) {
                        return pubsub.publish(plugin, topic, {data, len});
                      });
}

int32_t HostTable::pubsub_validate_cb(void* host, const char* topic, prowl_pubsub_validator_fn validator, void* user,
                                      prowl_error* err) {
  if (topic == nullptr || validator == nullptr)
    return fail(PROWL_ERR_INVALID_INPUT, "pubsub_validate: null argument", err);
  return with_service(host, &ServiceSet::pubsub, "pubsub_validate", err,
                      [&](PubsubServices& pubsub, std::string_view plugin) {
                        return pubsub.validate(plugin, topic, validator, user);
                      });
}

int32_t HostTable::howl_send_cb(void* host, uint32_t pattern, uint32_t range, uint32_t frequency,
                                const uint8_t* payload, size_t len, prowl_error* err) {
  if (bad_bytes(payload, len)) return fail(PROWL_ERR_INVALID_INPUT, "howl_send: null payload", err);
  return with_service(host, &ServiceSet::howl, "howl_send", err, [&](HowlServices& howl, std::string_view plugin) {
    return howl.send(plugin, pattern, range, frequency, {payload, len});
  });
}

int32_t HostTable::howl_subscribe_cb(void* host, uint32_t pattern, uint32_t range, prowl_howl_fn on_howl, void* user,
                                     uint64_t* id, prowl_error* err) {
  if (on_howl == nullptr || id == nullptr) return fail(PROWL_ERR_INVALID_INPUT, "howl_subscribe: null argument", err);
  return with_service(host, &ServiceSet::howl, "howl_subscribe", err,
                      [&](HowlServices& howl, std::string_view plugin) {
                        return howl.subscribe(plugin, pattern, range, on_howl, user, id);
                      });
}

int32_t HostTable::howl_unsubscribe_cb(void* host, uint64_t id, prowl_error* err) {
  return with_service(host, &ServiceSet::howl, "howl_unsubscribe", err,
                      [&](HowlServices& howl, std::string_view plugin) { return howl.unsubscribe(plugin, id); });
}

int32_t HostTable::howl_counts_cb(void* host, uint32_t pattern, uint64_t* sent, uint64_t* received,
                                  prowl_error* err) {
  if (sent == nullptr || received == nullptr)
    return fail(PROWL_ERR_INVALID_INPUT, "howl_counts: null argument", err);
  return with_service(host, &ServiceSet::howl, "howl_counts", err,
                      [&](HowlServices& howl, std::string_view) { return howl.counts(pattern, sent, received); });
}

}  // namespace prowl::plugins
