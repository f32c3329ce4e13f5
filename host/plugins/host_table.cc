#include "host/plugins/host_table.h"

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

int32_t fail(prowl_status status, std::string_view message, prowl_error* err) noexcept {
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

template <class F>
int32_t HostTable::with_net(void* host, const char* what, prowl_error* err, F&& call) noexcept {
  try {
    auto* self = static_cast<HostTable*>(host);
    const HostServices* services = self->services_.load();
    NetServices* net = services == nullptr ? nullptr : services->net();
    if (net == nullptr)
      return fail(PROWL_ERR_UNSUPPORTED, std::string(what) + ": this host runs no network services", err);
    return report(call(*net, std::string_view(self->plugin_)), err);
  } catch (...) {
    return fail(PROWL_ERR_INTERNAL, std::string("host failure in ") + what, err);
  }
}

int64_t HostTable::local_peer_id_cb(void* host, char* buf, size_t cap) {
  try {
    auto* self = static_cast<HostTable*>(host);
    const HostServices* services = self->services_.load();
    NetServices* net = services == nullptr ? nullptr : services->net();
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

}  // namespace prowl::plugins
