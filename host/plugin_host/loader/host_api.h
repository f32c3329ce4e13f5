// The host's side of the ABI 2 entry: every host function by name
// (get_proc) and the prowl_host of each loaded library, which takes the
// library's plugin registrations during its entry and keeps its plugins'
// contexts.
#pragma once

#include <prowl/plugin.h>

#include <boost/dll/shared_library.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "host/plugin_host/loader/context.h"
#include "host/plugin_host/loader/plugin.h"

namespace prowl::plugins {

/// The host's get_proc: the host function named `name`, or nullptr. Any
/// thread. Functions: prowl_register_plugin, the core ones in prowl/plugin.h,
/// and those of prowl/net.h, dht.h, pubsub.h and howl.h.
prowl_proc get_proc(const char* name) noexcept;

/// Receives the prowl_register_plugin calls of one entry call.
class RegistrationSink {
 public:
  virtual ~RegistrationSink() = default;
  /// Checks and creates the plugin `def` describes (the registration
  /// contract of prowl_register_plugin).
  virtual CallResult add(class LibraryHost& library, const prowl_plugin_def& def) = 0;
};

/// One loaded library as its plugins see it (behind prowl_host*), kept with
/// the library for the process lifetime. Thread-safe.
class LibraryHost {
 public:
  /// The host of `library` (REQUIRES: loaded), created on first use. Keeps
  /// the library loaded forever.
  static LibraryHost& for_library(const boost::dll::shared_library& library);
  static LibraryHost& of(prowl_host* host) noexcept { return *reinterpret_cast<LibraryHost*>(host); }
  prowl_host* handle() noexcept { return reinterpret_cast<prowl_host*>(this); }

  LibraryHost(const LibraryHost&) = delete;
  LibraryHost& operator=(const LibraryHost&) = delete;

  /// The context of this library's plugin `name`, created on first use and
  /// kept forever (the kind of its first registration stays).
  PluginContext& context(const std::string& name, prowl_kind kind);

  /// Runs entry(handle(), get_proc, err) with registrations going to `sink`.
  /// One entry call per library at a time.
  CallResult run_entry(prowl_entry_fn entry, RegistrationSink& sink);

  /// The sink of the entry call running now, or nullptr outside one.
  RegistrationSink* sink() const noexcept { return sink_; }

 private:
  explicit LibraryHost(boost::dll::shared_library library) : library_(std::move(library)) {}

  boost::dll::shared_library library_;
  std::mutex mutex_;  ///< guards contexts_; entry_mutex_ serialises entries
  std::mutex entry_mutex_;
  std::map<std::string, std::unique_ptr<PluginContext>, std::less<>> contexts_;
  RegistrationSink* sink_ = nullptr;  ///< set during run_entry (under entry_mutex_)
};

}  // namespace prowl::plugins
