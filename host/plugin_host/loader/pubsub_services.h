// Private: pub/sub behind the host functions of prowl/pubsub.h.
// host/plugin_pubsub implements it over the PubsubService.
#pragma once

#include <prowl/pubsub.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "host/plugin_host/loader/context.h"
#include "host/plugin_host/loader/plugin.h"

namespace prowl::plugins {

/// Gossipsub for plugins, keyed by the calling plugin's context, whose
/// registrations keep (and on its stop end) what each call registers. Every
/// call is thread-safe; callbacks into plugins run on the host's event loop, never
/// inside the call that registered them.
class PubsubServices {
 public:
  virtual ~PubsubServices() = default;

  /// See prowl_pubsub_subscribe; on success *id names the subscription.
  virtual CallResult subscribe(PluginContext& ctx, std::string_view topic, prowl_pubsub_message_fn on_message,
                               void* user, uint64_t* id) = 0;
  /// See prowl_pubsub_unsubscribe.
  virtual CallResult unsubscribe(PluginContext& ctx, uint64_t id) = 0;
  /// See prowl_pubsub_publish.
  virtual CallResult publish(PluginContext& ctx, std::string_view topic, std::span<const uint8_t> data) = 0;
  /// See prowl_pubsub_validate.
  virtual CallResult validate(PluginContext& ctx, std::string_view topic, prowl_pubsub_validator_fn validator,
                              void* user) = 0;

};

}  // namespace prowl::plugins
