// The howls a plugin reaches through its host functions: sends howls for
// plugins, hands them the howls heard by pattern and range, and reads the
// HowlService's counters for them.
#pragma once

#include <boost/asio/any_io_executor.hpp>

#include <cstddef>
#include <memory>

#include "host/plugin_host/loader/howl_services.h"

namespace prowl::howl {
class HowlService;
}

namespace prowl::plugin_howl {

/// Limits of the bridge.
struct PluginHowlConfig {
  size_t max_subscriptions_per_plugin = 64;
};

/// Thread-safe entry points; the HowlService is used on `executor` only,
/// and every plugin callback runs there. The bridge hooks each (pattern,
/// range) on the service once, while some plugin subscription covers it,
/// forwards to the plugins subscribed at the time of each howl, and ends the
/// hook (so the node leaves the topic) once no subscription covers it.
/// REQUIRES: the service outlives this object; destroyed on the executor's
/// thread (or while it is not running).
class PluginHowl final : public plugins::HowlServices {
 public:
  PluginHowl(boost::asio::any_io_executor executor, howl::HowlService& howls, PluginHowlConfig config = {});
  /// Ends every plugin's subscriptions and the service hooks without callbacks.
  ~PluginHowl() override;
  PluginHowl(const PluginHowl&) = delete;
  PluginHowl& operator=(const PluginHowl&) = delete;

  plugins::CallResult send(plugins::PluginContext& ctx, uint32_t pattern, uint32_t range, uint32_t frequency,
                           std::span<const uint8_t> payload) override;
  plugins::CallResult subscribe(plugins::PluginContext& ctx, uint32_t pattern, uint32_t range, prowl_howl_fn on_howl,
                                void* user, uint64_t* id) override;
  plugins::CallResult unsubscribe(plugins::PluginContext& ctx, uint64_t id) override;
  plugins::CallResult counts(uint32_t pattern, uint64_t* sent, uint64_t* received) const override;

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;  // shared with handlers posted to the executor
};

}  // namespace prowl::plugin_howl
