// The pub/sub a plugin reaches through its host functions: binds plugins'
// subscriptions, publications and validators to the gossipsub service,
// keeps a plugin's failures to its own callbacks, and keeps what it
// registers in the plugin's context, which ends it when the plugin goes away.
#pragma once

#include <boost/asio/any_io_executor.hpp>

#include <cstddef>
#include <memory>

#include "host/plugin_host/loader/pubsub_services.h"
#include "host/wire/pubsub/router_config.h"

namespace prowl::pubsub_service {
class PubsubService;
}

namespace prowl::plugin_pubsub {

/// Limits of the bridge; each one configurable.
struct PluginPubsubConfig {
  size_t max_subscriptions_per_plugin = 256;
  size_t max_validators_per_plugin = 64;
  size_t max_topic_bytes = PROWL_TOPIC_MAX;
  /// The service's router limit (RouterConfig::max_message_size).
  size_t max_message_bytes = pubsub::RouterConfig{}.max_message_size;
};

/// Thread-safe entry points; the PubsubService is used on `executor` only,
/// and every plugin callback runs there. REQUIRES: the service outlives this
/// object; destroyed on the executor's thread (or while it is not running).
class PluginPubsub final : public plugins::PubsubServices {
 public:
  PluginPubsub(boost::asio::any_io_executor executor, pubsub_service::PubsubService& pubsub,
               PluginPubsubConfig config = {});
  /// Ends every plugin's subscriptions and validators (and the service
  /// validators judging for them) without callbacks.
  ~PluginPubsub() override;
  PluginPubsub(const PluginPubsub&) = delete;
  PluginPubsub& operator=(const PluginPubsub&) = delete;

  plugins::CallResult subscribe(plugins::PluginContext& ctx, std::string_view topic, prowl_pubsub_message_fn on_message,
                                void* user, uint64_t* id) override;
  plugins::CallResult unsubscribe(plugins::PluginContext& ctx, uint64_t id) override;
  plugins::CallResult publish(plugins::PluginContext& ctx, std::string_view topic,
                              std::span<const uint8_t> data) override;
  plugins::CallResult validate(plugins::PluginContext& ctx, std::string_view topic, prowl_pubsub_validator_fn validator,
                               void* user) override;

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;  // shared with handlers posted to the executor
};

}  // namespace prowl::plugin_pubsub
