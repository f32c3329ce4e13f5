// A compute hunt as the host runs it: the interface the coordinator and the
// worker service call, implemented by the plugin host's bridge for hunt
// plugins (and by small in-process hunts in tests). A job's work is split by
// plan() into tasks, each run() on some host's compute executor, optionally
// check()ed, and the accepted results merge()d in task order.
//
// Every method may run on a compute worker thread (never on the event
// loop), concurrently with other calls on the same hunt: implementations
// must be thread-safe. run() must be deterministic: the same params and
// task give the same bytes on every host, which is what lets results be
// verified by comparing digests.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "host/base/status/status.h"
#include "host/services/compute/executor.h"

namespace prowl::compute {

/// The four hunt types of the wolf-pack design.
enum class HuntType { kDiscovery, kResource, kSecurity, kIntelligence };

/// "discovery", "resource", "security", "intelligence".
const char* hunt_type_name(HuntType type);

struct HuntInfo {
  std::string name;
  std::string version;
  std::array<uint8_t, 32> library_sha256{};  ///< of the plugin file; all zero for a built-in hunt
  HuntType type = HuntType::kResource;
  bool has_check = false;  ///< check() is cheap and decides validity: one replica suffices
};

/// Receives one planned task's input; returns non-OK to stop planning.
using EmitTask = std::function<Status(std::vector<uint8_t> task)>;

class Hunt {
 public:
  virtual ~Hunt() = default;

  virtual const HuntInfo& info() const = 0;

  /// Splits a job with `params` (JSON text) and the optional `input` file
  /// (empty path: none) into tasks, calling `emit` once per task in order.
  /// Reads the input as a stream; never loads it whole. kInvalidInput
  /// naming the bad parameter when the params do not make a job.
  virtual Status plan(std::string_view params, const std::filesystem::path& input, const EmitTask& emit) = 0;

  /// Runs one task, writing its result to ctx (bounded by the host).
  /// Deterministic. Polls ctx.should_stop() in long loops.
  virtual Status run(std::string_view params, std::span<const uint8_t> task, TaskContext& ctx) = 0;

  /// When info().has_check: OK if `result` is a valid result of `task`.
  virtual Status check(std::string_view params, std::span<const uint8_t> task, std::span<const uint8_t> result) = 0;

  /// Merges the accepted results, in task order, into the job's outcome,
  /// written to ctx.
  virtual Status merge(std::string_view params, const std::vector<std::vector<uint8_t>>& results,
                       TaskContext& ctx) = 0;
};

/// The hunts a host has loaded, by name. Not thread-safe to modify; reads
/// after setup are safe from any thread.
class HuntCatalog {
 public:
  /// Adds `hunt`; kInvalidInput when one of that name is already there.
  Status add(std::shared_ptr<Hunt> hunt);
  /// The hunt named `name`, or null.
  std::shared_ptr<Hunt> find(std::string_view name) const;
  /// Every hunt, by name.
  std::vector<std::shared_ptr<Hunt>> list() const;

 private:
  std::map<std::string, std::shared_ptr<Hunt>, std::less<>> hunts_;
};

}  // namespace prowl::compute
