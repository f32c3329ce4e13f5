// Private: the prowl_host_api table of one loaded library.
#pragma once

#include <prowl/plugin.h>

#include <atomic>
#include <boost/dll/shared_library.hpp>
#include <string>
#include <utility>

#include "host/plugin_host/loader/host_services.h"

namespace prowl::plugins {

/// One table per loaded library, kept (with the library) for the process
/// lifetime: a plugin may keep its host pointer forever, and a library loaded
/// again by a later registry is the same mapping, so it sees the same table.
/// The table forwards to the services of the registry that loaded the
/// library most recently; with none attached, calls fail softly.
/// Thread-safe.
class HostTable {
 public:
  /// The table of `library` (REQUIRES: loaded), created on first use for the
  /// plugin named `plugin`. Keeps the library loaded forever.
  static HostTable& for_library(const boost::dll::shared_library& library, const std::string& plugin);

  HostTable(const HostTable&) = delete;
  HostTable& operator=(const HostTable&) = delete;

  /// The C table to hand to the plugin's entry. Lives forever.
  const prowl_host_api* api() const noexcept { return &api_; }

  /// Routes the table's calls to `services` (REQUIRES: it outlives the
  /// attachment or detaches first).
  void attach(const HostServices* services) noexcept { services_.store(services); }

  /// Stops routing to `services` if it is the one attached.
  void detach(const HostServices* services) noexcept;

 private:
  HostTable(boost::dll::shared_library library, std::string plugin);

  static void log_cb(void* host, int32_t level, const char* message);
  static int64_t config_get_cb(void* host, const char* key, char* buf, size_t cap);
  static int32_t codec_compress_cb(void* host, const char* codec, const uint8_t* in, size_t len,
                                   int32_t level, prowl_writer* out, prowl_error* err);
  static int32_t codec_decompress_cb(void* host, const char* codec, const uint8_t* in, size_t len,
                                     size_t original_size, prowl_writer* out, prowl_error* err);
  static int32_t codec_name_cb(void* host, size_t index, char* buf, size_t cap);
  static int64_t local_peer_id_cb(void* host, char* buf, size_t cap);
  static int32_t connected_peers_cb(void* host, prowl_writer* out, prowl_error* err);
  static int32_t stream_listen_cb(void* host, const char* protocol, const prowl_stream_callbacks* callbacks,
                                  void* user, prowl_error* err);
  static int32_t stream_open_cb(void* host, const char* peer, const char* protocol,
                                const prowl_stream_callbacks* callbacks, void* user, prowl_error* err);
  static int32_t stream_write_cb(void* host, prowl_stream* stream, const uint8_t* data, size_t len,
                                 prowl_error* err);
  static int32_t stream_close_write_cb(void* host, prowl_stream* stream, prowl_error* err);
  static int32_t stream_reset_cb(void* host, prowl_stream* stream, prowl_error* err);
  static int32_t rr_serve_cb(void* host, const char* name, prowl_rr_handler_fn handler, void* user,
                             prowl_error* err);
  static int32_t rr_respond_cb(void* host, prowl_rr_request* request, const uint8_t* data, size_t len,
                               prowl_error* err);
  static int32_t rr_fail_cb(void* host, prowl_rr_request* request, int32_t status, const char* message,
                            prowl_error* err);
  static int32_t rr_request_cb(void* host, const char* peer, const char* name, const uint8_t* data, size_t len,
                               uint32_t timeout_ms, const prowl_rr_callbacks* callbacks, void* user,
                               prowl_error* err);

  static int32_t dht_put_cb(void* host, const uint8_t* key, size_t key_len, const uint8_t* value, size_t value_len,
                            prowl_dht_done_fn done, void* user, prowl_error* err);
  static int32_t dht_get_cb(void* host, const uint8_t* key, size_t key_len, prowl_dht_done_fn done, void* user,
                            prowl_error* err);
  static int32_t dht_provide_cb(void* host, const uint8_t* key, size_t key_len, prowl_dht_done_fn done, void* user,
                                prowl_error* err);
  static int32_t dht_find_providers_cb(void* host, const uint8_t* key, size_t key_len, uint32_t max,
                                       prowl_dht_done_fn done, void* user, prowl_error* err);
  static int32_t dht_find_peer_cb(void* host, const char* peer, prowl_dht_done_fn done, void* user, prowl_error* err);
  static int32_t dht_closest_peers_cb(void* host, const uint8_t* key, size_t key_len, prowl_dht_done_fn done,
                                      void* user, prowl_error* err);
  static int32_t pubsub_subscribe_cb(void* host, const char* topic, prowl_pubsub_message_fn on_message, void* user,
                                     uint64_t* id, prowl_error* err);
  static int32_t pubsub_unsubscribe_cb(void* host, uint64_t id, prowl_error* err);
  static int32_t pubsub_publish_cb(void* host, const char* topic, const uint8_t* data, size_t len, prowl_error* err);
  static int32_t pubsub_validate_cb(void* host, const char* topic, prowl_pubsub_validator_fn validator, void* user,
                                    prowl_error* err);
  static int32_t howl_send_cb(void* host, uint32_t pattern, uint32_t range, uint32_t frequency,
                              const uint8_t* payload, size_t len, prowl_error* err);
  static int32_t howl_subscribe_cb(void* host, uint32_t pattern, uint32_t range, prowl_howl_fn on_howl, void* user,
                                   uint64_t* id, prowl_error* err);
  static int32_t howl_unsubscribe_cb(void* host, uint64_t id, prowl_error* err);
  static int32_t howl_counts_cb(void* host, uint32_t pattern, uint64_t* sent, uint64_t* received, prowl_error* err);

  /// Runs call(Service&, plugin name) -> CallResult with the bound service
  /// `member` of the services, reporting a detached table, a stopped
  /// plugin, a missing service or an exception through err.
  template <class Service, class F>
  static int32_t with_service(void* host, Service* ServiceSet::*member, const char* what, prowl_error* err,
                              F&& call) noexcept;
  /// with_service for the ABI 1.1 network services.
  template <class F>
  static int32_t with_net(void* host, const char* what, prowl_error* err, F&& call) noexcept {
    return with_service(host, &ServiceSet::net, what, err, std::forward<F>(call));
  }

  boost::dll::shared_library library_;
  std::string plugin_;
  prowl_host_api api_{};
  std::atomic<const HostServices*> services_{nullptr};
};

}  // namespace prowl::plugins
