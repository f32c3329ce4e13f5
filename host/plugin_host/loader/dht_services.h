// Private: the DHT behind the host functions of prowl/dht.h.
// host/plugin_dht implements it over the DhtService; the registry only forwards.
#pragma once

#include <prowl/dht.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "host/plugin_host/loader/context.h"
#include "host/plugin_host/loader/plugin.h"

namespace prowl::plugins {

/// One DHT call's completion as the plugin gave it.
struct DhtCompletion {
  prowl_dht_done_fn done = nullptr;
  void* user = nullptr;
};

/// The DHT for plugins, keyed by the calling plugin's context, whose
/// registrations keep (and on its stop end) what each call registers. Every
/// call is thread-safe; each accepted call completes exactly once, on the host's
/// event loop, never inside the call (unless its plugin was released first).
class DhtServices {
 public:
  virtual ~DhtServices() = default;

  /// See prowl_dht_put.
  virtual CallResult put(PluginContext& ctx, std::span<const uint8_t> key, std::span<const uint8_t> value,
                         DhtCompletion done) = 0;
  /// See prowl_dht_get.
  virtual CallResult get(PluginContext& ctx, std::span<const uint8_t> key, DhtCompletion done) = 0;
  /// See prowl_dht_provide.
  virtual CallResult provide(PluginContext& ctx, std::span<const uint8_t> key, DhtCompletion done) = 0;
  /// See prowl_dht_find_providers.
  virtual CallResult find_providers(PluginContext& ctx, std::span<const uint8_t> key, uint32_t max,
                                    DhtCompletion done) = 0;
  /// See prowl_dht_find_peer.
  virtual CallResult find_peer(PluginContext& ctx, std::string_view peer, DhtCompletion done) = 0;
  /// See prowl_dht_closest_peers.
  virtual CallResult closest_peers(PluginContext& ctx, std::span<const uint8_t> key, DhtCompletion done) = 0;

};

}  // namespace prowl::plugins
