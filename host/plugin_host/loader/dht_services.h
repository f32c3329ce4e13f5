// Private: the DHT behind a plugin's host table (ABI 1.2).
// host/plugin_dht implements it over the DhtService; the registry only forwards.
#pragma once

#include <prowl/plugin.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "host/plugin_host/loader/plugin.h"

namespace prowl::plugins {

/// One DHT call's completion as the plugin gave it.
struct DhtCompletion {
  prowl_dht_done_fn done = nullptr;
  void* user = nullptr;
};

/// The DHT for plugins, keyed by the calling plugin's name. Every call is
/// thread-safe; each accepted call completes exactly once, on the host's
/// event loop, never inside the call (unless its plugin was released first).
class DhtServices {
 public:
  virtual ~DhtServices() = default;

  /// See prowl_host_api.dht_put.
  virtual CallResult put(std::string_view plugin, std::span<const uint8_t> key, std::span<const uint8_t> value,
                         DhtCompletion done) = 0;
  /// See prowl_host_api.dht_get.
  virtual CallResult get(std::string_view plugin, std::span<const uint8_t> key, DhtCompletion done) = 0;
  /// See prowl_host_api.dht_provide.
  virtual CallResult provide(std::string_view plugin, std::span<const uint8_t> key, DhtCompletion done) = 0;
  /// See prowl_host_api.dht_find_providers.
  virtual CallResult find_providers(std::string_view plugin, std::span<const uint8_t> key, uint32_t max,
                                    DhtCompletion done) = 0;
  /// See prowl_host_api.dht_find_peer.
  virtual CallResult find_peer(std::string_view plugin, std::string_view peer, DhtCompletion done) = 0;
  /// See prowl_host_api.dht_closest_peers.
  virtual CallResult closest_peers(std::string_view plugin, std::span<const uint8_t> key, DhtCompletion done) = 0;

  /// Drops every pending call of `plugin` (empty: of every plugin); no
  /// completion of them runs after this returns. REQUIRES: called on the
  /// event loop thread, or while the loop is not running.
  virtual void release(std::string_view plugin) noexcept = 0;
};

}  // namespace prowl::plugins
