// The DHT a plugin reaches through its host functions: runs plugins' puts,
// gets, provides and lookups on the DhtService, signs /prowl/ values with
// the node's key (host/services/dht/prowl_record.h), and keeps each pending
// call in its plugin's context, which drops it when the plugin goes away.
#pragma once

#include <boost/asio/any_io_executor.hpp>

#include <cstddef>
#include <memory>

#include "host/base/identity/key_pair.h"
#include "host/plugin_host/loader/dht_services.h"

namespace prowl::dht {
class DhtService;
}

namespace prowl::plugin_dht {

/// Limits of the bridge.
struct PluginDhtConfig {
  size_t max_calls_per_plugin = 16;  ///< DHT calls of one plugin in flight
};

/// Thread-safe entry points; the DhtService is used on `executor` only, and
/// every completion runs there. REQUIRES: `key` is the node's identity (the
/// DHT's); the service outlives this object; destroyed on the executor's
/// thread (or while it is not running).
class PluginDht final : public plugins::DhtServices {
 public:
  PluginDht(boost::asio::any_io_executor executor, dht::DhtService& dht, identity::KeyPair key,
            PluginDhtConfig config = {});
  /// Drops every pending call without completions.
  ~PluginDht() override;
  PluginDht(const PluginDht&) = delete;
  PluginDht& operator=(const PluginDht&) = delete;

  plugins::CallResult put(plugins::PluginContext& ctx, std::span<const uint8_t> key, std::span<const uint8_t> value,
                          plugins::DhtCompletion done) override;
  plugins::CallResult get(plugins::PluginContext& ctx, std::span<const uint8_t> key,
                          plugins::DhtCompletion done) override;
  plugins::CallResult provide(plugins::PluginContext& ctx, std::span<const uint8_t> key,
                              plugins::DhtCompletion done) override;
  plugins::CallResult find_providers(plugins::PluginContext& ctx, std::span<const uint8_t> key, uint32_t max,
                                     plugins::DhtCompletion done) override;
  plugins::CallResult find_peer(plugins::PluginContext& ctx, std::string_view peer,
                                plugins::DhtCompletion done) override;
  plugins::CallResult closest_peers(plugins::PluginContext& ctx, std::span<const uint8_t> key,
                                    plugins::DhtCompletion done) override;

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;  // shared with the calls' coroutines
};

}  // namespace prowl::plugin_dht
