// Private: what the host functions a plugin finds by name call into.
#pragma once

#include <prowl/plugin.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "host/plugin_host/loader/plugin.h"
#include "host/plugin_host/loader/service_set.h"

namespace prowl::plugins {

/// The network-side services for one call from a plugin. Holding it keeps
/// them bound, and its plugin's stopped mark unchanged: rebinding and
/// stopping wait until every lease is gone. Short-lived; never kept across a
/// callback into plugin code.
class ServiceLease {
 public:
  ServiceLease(std::shared_lock<std::shared_mutex> lock, ServiceSet set) noexcept
      : lock_(std::move(lock)), set_(set) {}
  /// The bound services; every one may be null.
  const ServiceSet& set() const noexcept { return set_; }

 private:
  std::shared_lock<std::shared_mutex> lock_;
  ServiceSet set_;
};

/// The services behind the host functions (host_api.h), one per registry.
/// Implementations are thread-safe.
class HostServices {
 public:
  virtual ~HostServices() = default;
  /// Logs one line from `plugin`.
  virtual void log(std::string_view plugin, prowl_log_level level, std::string_view message) const = 0;
  /// The host config value "plugins.<plugin>.<key>", if set.
  virtual std::optional<std::string> config(std::string_view plugin, std::string_view key) const = 0;
  /// Raw compression with a loaded codec.
  virtual CallResult codec_compress(std::string_view codec, std::span<const uint8_t> in,
                                    int32_t level, prowl_writer* out) const = 0;
  /// Raw decompression with a loaded codec to exactly original_size bytes.
  virtual CallResult codec_decompress(std::string_view codec, std::span<const uint8_t> in,
                                      size_t original_size, prowl_writer* out) const = 0;
  /// The index-th loaded codec's name, or nullopt past the end.
  virtual std::optional<std::string> codec_name(size_t index) const = 0;
  /// The network-side services for one call from a plugin.
  virtual ServiceLease services() const = 0;
};

}  // namespace prowl::plugins
