// The bridge from compute hunt plugins (prowl_hunt_vtable's plan, run,
// check and merge) to the compute services' Hunt interface: the host's
// inputs, sinks, controls and writers as the C ABI's, every call guarded, a
// failure's prowl_status kept as the Status code.
#pragma once

#include <memory>

#include "host/base/status/status.h"
#include "host/plugin_host/loader/registry.h"
#include "host/services/compute/hunt.h"

namespace prowl::plugins {

/// The most tasks one plan may emit; a larger job is refused (kLimit).
inline constexpr size_t kMaxPlannedTasks = 1'000'000;

/// A compute hunt plugin as a compute::Hunt. Thread-safe, as the plugin is.
/// REQUIRES: `plugin` computes() and outlives this object.
class PluginHunt : public compute::Hunt {
 public:
  PluginHunt(const Plugin& plugin, const std::array<uint8_t, 32>& library_sha256);

  const compute::HuntInfo& info() const override { return info_; }
  Status plan(std::string_view params, const std::filesystem::path& input, const compute::EmitTask& emit) override;
  Status run(std::string_view params, std::span<const uint8_t> task, compute::TaskContext& ctx) override;
  Status check(std::string_view params, std::span<const uint8_t> task, std::span<const uint8_t> result) override;
  Status merge(std::string_view params, const std::vector<std::vector<uint8_t>>& results,
               compute::TaskContext& ctx) override;

 private:
  const Plugin& plugin_;
  compute::HuntInfo info_;
};

/// Adds every compute hunt of `registry` to `catalog`, each with the
/// SHA-256 of its library file. Fails naming a file that cannot be read.
Status add_plugin_hunts(const Registry& registry, compute::HuntCatalog& catalog);

}  // namespace prowl::plugins
