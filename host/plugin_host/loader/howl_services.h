// Private: howls behind a plugin's host table (ABI 1.2).
// host/plugin_howl implements it over the HowlService.
#pragma once

#include <prowl/plugin.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "host/plugin_host/loader/plugin.h"

namespace prowl::plugins {

/// Howls for plugins, keyed by the calling plugin's name. Every call is
/// thread-safe; callbacks into plugins run on the host's event loop, never
/// inside the call that registered them.
class HowlServices {
 public:
  virtual ~HowlServices() = default;

  /// See prowl_host_api.howl_send.
  virtual CallResult send(std::string_view plugin, uint32_t pattern, uint32_t range, uint32_t frequency,
                          std::span<const uint8_t> payload) = 0;
  /// See prowl_host_api.howl_subscribe; on success *id names the subscription.
  virtual CallResult subscribe(std::string_view plugin, uint32_t pattern, uint32_t range, prowl_howl_fn on_howl,
                               void* user, uint64_t* id) = 0;
  /// See prowl_host_api.howl_unsubscribe.
  virtual CallResult unsubscribe(std::string_view plugin, uint64_t id) = 0;
  /// See prowl_host_api.howl_counts.
  virtual CallResult counts(uint32_t pattern, uint64_t* sent, uint64_t* received) const = 0;

  /// Ends every subscription of `plugin` (empty: of every plugin); no
  /// callback into it starts after this returns. REQUIRES: called on the
  /// event loop thread, or while the loop is not running.
  virtual void release(std::string_view plugin) noexcept = 0;
};

}  // namespace prowl::plugins
