// A loaded plugin instance: its manifest entry, its context, the instance
// its create() returned, and guarded calls into its kind's vtable.
#pragma once

#include <prowl/plugin.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

#include "host/plugin_host/loader/manifest.h"

namespace prowl::plugins {

class PluginContext;

/// Outcome of one call into a plugin.
struct CallResult {
  prowl_status status = PROWL_OK;
  std::string message;  ///< one line; empty when ok
  bool ok() const noexcept { return status == PROWL_OK; }
};

/// Owns one plugin instance (released with the plugin's own destroy() when
/// this object dies; the library itself stays loaded). Every call catches
/// anything thrown, so a misbehaving plugin fails that call only.
/// Thread-safety: the codec and codon calls may run concurrently (the ABI
/// makes those plugins thread-safe); start, stop and on_event run on the
/// event loop only.
class Plugin {
 public:
  /// REQUIRES: self came from the plugin's create() for `context`, and
  /// vtable passed check_vtable(manifest.kind).
  Plugin(Manifest manifest, std::filesystem::path file, PluginContext& context, const void* vtable, void* self,
         void (*destroy)(void*)) noexcept;
  ~Plugin();
  Plugin(const Plugin&) = delete;
  Plugin& operator=(const Plugin&) = delete;

  const Manifest& manifest() const noexcept { return manifest_; }
  const std::string& name() const noexcept { return manifest_.name; }
  prowl_kind kind() const noexcept { return manifest_.kind; }
  const std::filesystem::path& file() const noexcept { return file_; }
  PluginContext& context() const noexcept { return context_; }

  /// Codec compress (REQUIRES: kind() == PROWL_KIND_CODEC). On success
  /// *used_codec names the codec whose format was written (this plugin's name
  /// if the plugin left it empty).
  CallResult compress(std::span<const uint8_t> in, int32_t level, prowl_writer* out,
                      std::string* used_codec) const;
  /// Codec decompress to exactly original_size bytes (REQUIRES: codec kind;
  /// the writer's limit should be original_size).
  CallResult decompress(std::span<const uint8_t> in, size_t original_size, prowl_writer* out) const;
  /// Codon encode (REQUIRES: kind() == PROWL_KIND_CODON).
  CallResult encode(std::span<const uint8_t> in, prowl_writer* out) const;
  /// Codon decode (REQUIRES: kind() == PROWL_KIND_CODON).
  CallResult decode(std::span<const uint8_t> in, prowl_writer* out) const;
  /// Role or hunt start (REQUIRES: role or hunt kind; on the event loop, or
  /// while it is not running). Call once. A failed start ends whatever the
  /// plugin registered before it failed.
  CallResult start() const;
  /// Role or hunt stop (REQUIRES: role or hunt kind, start() succeeded). Never fails.
  void stop() const noexcept;
  /// Hands a role (started, not stopped) one event; other plugins ignore it.
  void on_event(const prowl_role_event& event) const noexcept;

  /// The hunt's type and whether it runs compute jobs (REQUIRES: hunt kind).
  prowl_hunt_type hunt_type() const noexcept;
  bool computes() const noexcept;
  bool checks() const noexcept;
  /// A compute hunt's calls (REQUIRES: computes(); check also checks()).
  /// Compute: any thread, concurrently.
  CallResult plan(const char* params, const prowl_input& input, const prowl_task_sink& sink) const;
  CallResult run(const char* params, std::span<const uint8_t> task, const prowl_task_control& control,
                 prowl_writer* out) const;
  CallResult check(const char* params, std::span<const uint8_t> task, std::span<const uint8_t> result) const;
  CallResult merge(const char* params, const prowl_results& results, prowl_writer* out) const;

  /// Checks that a registered vtable fits `kind`: non-null, struct_size
  /// large enough and every required function set. Returns a one-line reason
  /// if not.
  static std::string check_vtable(prowl_kind kind, const void* vtable);

 private:
  Manifest manifest_;
  std::filesystem::path file_;
  PluginContext& context_;
  const void* vtable_;
  void* self_;
  void (*destroy_)(void*);
  mutable std::atomic<bool> started_{false};
};

}  // namespace prowl::plugins
