// The host's side of a prowl_plugin_ctx: one plugin's identity, the
// services its calls go to, whether it was stopped, and its registrations.
#pragma once

#include <prowl/plugin.h>

#include <atomic>
#include <string>

#include "host/plugin_host/loader/registrations.h"

namespace prowl::plugins {

class HostServices;

/// One plugin's context. Created the first time a library registers the
/// plugin and kept (with the library) for the process lifetime, so a plugin
/// may keep its prowl_plugin_ctx* forever: once no registry routes it, its
/// calls fail softly. A library loaded again by a later registry is the same
/// mapping, so its plugins get the same contexts, routed to the new one.
/// Thread-safe.
class PluginContext {
 public:
  PluginContext(std::string name, prowl_kind kind) : name_(std::move(name)), kind_(kind) {}
  PluginContext(const PluginContext&) = delete;
  PluginContext& operator=(const PluginContext&) = delete;

  /// The context behind a handle the host gave out. REQUIRES: it came from handle().
  static PluginContext& of(prowl_plugin_ctx* ctx) noexcept { return *reinterpret_cast<PluginContext*>(ctx); }
  /// The opaque handle plugins pass back.
  prowl_plugin_ctx* handle() noexcept { return reinterpret_cast<prowl_plugin_ctx*>(this); }

  const std::string& name() const noexcept { return name_; }
  prowl_kind kind() const noexcept { return kind_; }

  /// The services the plugin's calls go to, or nullptr when none is attached.
  const HostServices* services() const noexcept { return services_.load(); }
  /// Routes the plugin's calls to `services` (REQUIRES: it outlives the
  /// attachment or detaches first) and clears the stopped mark.
  void attach(const HostServices* services) noexcept {
    stopped_.store(false);
    services_.store(services);
  }
  /// Stops routing to `services` if it is the one attached.
  void detach(const HostServices* services) noexcept {
    const HostServices* expected = services;
    services_.compare_exchange_strong(expected, nullptr);
  }

  /// True once the plugin was stopped: its service calls fail with PROWL_ERR_CLOSED.
  bool stopped() const noexcept { return stopped_.load(); }
  /// REQUIRES: no service call of this plugin is running (the registry holds
  /// its services' lock exclusively).
  void mark_stopped() noexcept { stopped_.store(true); }

  /// What the plugin holds in the services.
  Registrations& registrations() noexcept { return registrations_; }

 private:
  const std::string name_;
  const prowl_kind kind_;
  std::atomic<const HostServices*> services_{nullptr};
  std::atomic<bool> stopped_{false};
  Registrations registrations_;
};

}  // namespace prowl::plugins
