// The plugin registry: reads library manifests, refuses bad libraries with a
// one-line reason, loads the good ones with Boost.DLL, runs their entries,
// which register their plugins, and gives each plugin its own context.
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

#include "host/plugin_host/loader/context.h"
#include "host/plugin_host/loader/manifest.h"
#include "host/plugin_host/loader/plugin.h"
#include "host/plugin_host/loader/service_set.h"

namespace prowl::plugins {

/// What the host knows about one plugin of a file it was asked to load: one
/// record per plugin the file's manifest lists, in manifest order (one
/// record for a file whose manifest could not be read, or whose ABI major's
/// layout the host does not know: then only the ABI fields are set).
/// A library loads or is refused as a whole.
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

  /// Tries to load one library; never throws for a bad one. Returns the
  /// file's first record (see records() for the others), valid until the
  /// next load_* call.
  const PluginRecord& load_file(const std::filesystem::path& file);

  /// A record for every plugin of every file tried so far, in order.
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

  /// Stops a started role or hunt: its stop(), then its further service
  /// calls fail with PROWL_ERR_CLOSED and the registrations its context holds
  /// end. REQUIRES: `plugin` is this registry's, started; runs on the event
  /// loop (or while it is not running).
  void stop_agent(const Plugin& plugin);

  /// Hands every started role the event (PROWL_ROLE_EVENT_*) about `peer`.
  /// REQUIRES: on the event loop.
  void role_event(prowl_role_event_type type, std::string_view peer) const;

 private:
  class Services;
  class Loading;

  /// Loads `file`; returns the refusal (empty when loaded).
  std::string try_load(const std::filesystem::path& file, std::optional<LibraryManifest>& manifest);

  RegistryOptions options_;
  std::vector<PluginRecord> records_;
  std::vector<std::unique_ptr<Plugin>> plugins_;
  std::unique_ptr<Services> services_;
  std::vector<PluginContext*> contexts_;  ///< contexts this registry attached
};

}  // namespace prowl::plugins
