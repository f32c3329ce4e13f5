// Private: howls behind the host functions of prowl/howl.h.
// host/plugin_howl implements it over the HowlService.
#pragma once

#include <prowl/howl.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "host/plugin_host/loader/context.h"
#include "host/plugin_host/loader/plugin.h"

namespace prowl::plugins {

/// Howls for plugins, keyed by the calling plugin's context, whose
/// registrations keep (and on its stop end) what each call registers. Every
/// call is thread-safe; callbacks into plugins run on the host's event loop, never
/// inside the call that registered them.
class HowlServices {
 public:
  virtual ~HowlServices() = default;

  /// See prowl_howl_send.
  virtual CallResult send(PluginContext& ctx, uint32_t pattern, uint32_t range, uint32_t frequency,
                          std::span<const uint8_t> payload) = 0;
  /// See prowl_howl_subscribe; on success *id names the subscription.
  virtual CallResult subscribe(PluginContext& ctx, uint32_t pattern, uint32_t range, prowl_howl_fn on_howl,
                               void* user, uint64_t* id) = 0;
  /// See prowl_howl_unsubscribe.
  virtual CallResult unsubscribe(PluginContext& ctx, uint64_t id) = 0;
  /// See prowl_howl_counts.
  virtual CallResult counts(uint32_t pattern, uint64_t* sent, uint64_t* received) const = 0;

};

}  // namespace prowl::plugins
