// The plugin registry: reads manifests, refuses bad plugins with a one-line
// reason, loads the good ones with Boost.DLL and gives each its own
// prowl_host_api table.
#pragma once

#include <prowl/plugin.h>

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "host/plugin_host/loader/manifest.h"
#include "host/plugin_host/loader/plugin.h"
#include "host/plugin_host/loader/service_set.h"

namespace prowl::plugins {

class HostTable;

/// What the host knows about one plugin file it was asked to load.
struct PluginRecord {
  std::filesystem::path file;
  std::optional<Manifest> manifest;  ///< set when the manifest could be read
  bool loaded = false;               ///< the plugin is live in the registry
  std::string refusal;               ///< one line; empty when loaded
};

/// Looks up a host configuration value by dotted key path, e.g.
/// "plugins.zstd.level". Strings come back as their text; numbers, booleans,
/// objects and arrays as JSON text. nullopt when unset. Must be thread-safe.
using ConfigLookup = std::function<std::optional<std::string>(std::string_view key_path)>;

/// Receives a plugin's log line. Must be thread-safe.
using PluginLogSink =
    std::function<void(std::string_view plugin, prowl_log_level level, std::string_view message)>;

/// How a registry is set up.
struct RegistryOptions {
  ConfigLookup config_lookup;  ///< empty: every plugin config value is unset
  PluginLogSink log;           ///< empty: spdlog's default logger
  /// Network-side services for plugins from the start (bind_services()
  /// can bind them later); a missing one makes its calls fail softly.
  /// REQUIRES: each outlives the registry or is unbound first.
  ServiceSet services;
};

/// Thrown when a plugin directory cannot be read.
class RegistryError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Loads plugins and finds them by kind and name.
/// Thread-safety: load_* and destruction need exclusive access; the const
/// lookups may run concurrently once loading is done.
class Registry {
 public:
  explicit Registry(RegistryOptions options = {});
  /// Destroys the plugin instances (each with its own destroy()); the
  /// libraries stay loaded for the process lifetime.
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  /// Loads every "*.so" file directly in `dir`, in file-name order.
  /// Throws RegistryError if the directory cannot be listed.
  void load_directory(const std::filesystem::path& dir);

  /// Tries to load one plugin file; never throws for a bad plugin. The
  /// returned record stays valid until the next load_* call.
  const PluginRecord& load_file(const std::filesystem::path& file);

  /// Every file tried so far, in order.
  const std::vector<PluginRecord>& records() const noexcept { return records_; }

  /// The loaded plugin of this kind and name, or nullptr.
  const Plugin* find(prowl_kind kind, std::string_view name) const noexcept;

  /// The loaded plugins of this kind, in load order.
  std::vector<const Plugin*> plugins(prowl_kind kind) const;

  /// Names of the loaded codecs, in load order (the codec_name order).
  std::vector<std::string> codec_names() const;

  /// The options the registry was made with.
  const RegistryOptions& options() const noexcept { return options_; }

  /// Hands plugins `services` from now on (for hosts that create the
  /// network after the registry). Ends every plugin's registrations in the
  /// services bound before, and waits for plugin calls into them to return.
  /// REQUIRES: the event loop of the old services is not running (or this
  /// runs on it); each new service outlives the registry or a later bind.
  void bind_services(const ServiceSet& services);

  /// Stops a started role or hunt: its stop(), then its registrations end
  /// in every bound service and its further calls to them fail with
  /// PROWL_ERR_CLOSED. REQUIRES: `plugin` is this registry's, started; runs
  /// on the event loop (or while it is not running).
  void stop_agent(const Plugin& plugin);

 private:
  class Services;

  std::string try_load(const std::filesystem::path& file, PluginRecord& record);

  RegistryOptions options_;
  std::vector<PluginRecord> records_;
  std::vector<std::unique_ptr<Plugin>> plugins_;
  std::unique_ptr<Services> services_;
  std::vector<HostTable*> tables_;  ///< tables this registry attached to
};

}  // namespace prowl::plugins
