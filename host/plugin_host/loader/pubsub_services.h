// Private: pub/sub behind a plugin's host table (ABI 1.2).
// host/plugin_pubsub implements it over the PubsubService.
#pragma once

#include <prowl/plugin.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "host/plugin_host/loader/plugin.h"

namespace prowl::plugins {

/// Gossipsub for plugins, keyed by the calling plugin's name. Every call is
/// thread-safe; callbacks into plugins run on the host's event loop, never
/// inside the call that registered them.
class PubsubServices {
 public:
  virtual ~PubsubServices() = default;

  /// See prowl_host_api.pubsub_subscribe; on success *id names the subscription.
  virtual CallResult subscribe(std::string_view plugin, std::string_view topic, prowl_pubsub_message_fn on_message,
                               void* user, uint64_t* id) = 0;
  /// See prowl_host_api.pubsub_unsubscribe.
  virtual CallResult unsubscribe(std::string_view plugin, uint64_t id) = 0;
  /// See prowl_host_api.pubsub_publish.
  virtual CallResult publish(std::string_view plugin, std::string_view topic, std::span<const uint8_t> data) = 0;
  /// See prowl_host_api.pubsub_validate.
  virtual CallResult validate(std::string_view plugin, std::string_view topic, prowl_pubsub_validator_fn validator,
                              void* user) = 0;

  /// Ends every subscription and validator of `plugin` (empty: of every
  /// plugin); no callback into it starts after this returns. REQUIRES:
  /// called on the event loop thread, or while the loop is not running.
  virtual void release(std::string_view plugin) noexcept = 0;
};

}  // namespace prowl::plugins
