// The worker side of /prowl/task/1.0.0: runs the tasks coordinators offer,
// on this host's compute executor, for the hunts its operator installed.
//
// On each inbound task stream the worker first announces its hunts (name,
// version, library hash) and free slots; then, for each offer, it accepts or
// declines with a reason (full, unknown hunt, version mismatch, quarantined,
// too large), runs accepted tasks, and answers each with a result carrying
// the SHA-256 of its bytes, or the failure. Inputs and results larger than
// one frame travel as chunks. No code travels: an offer names a hunt, and
// only installed hunts run.
//
// Not thread-safe: use it on the swarm's executor. REQUIRES: the swarm,
// executor and catalog outlive it.
#pragma once

#include <boost/asio/any_io_executor.hpp>

#include <functional>
#include <memory>

#include "host/base/identity/peer_id.h"
#include "host/services/compute/executor.h"
#include "host/services/compute/hunt.h"
#include "host/wire/task/message.h"

namespace prowl::swarm {
class Swarm;
}

namespace prowl::compute {

struct WorkerSettings {
  size_t slots = 0;  ///< tasks accepted at once, over every coordinator; 0: 2 x the executor's threads
  task::Limits limits;
  /// True when `coordinator` may not use this host (quarantined); may be empty.
  std::function<bool(const identity::PeerId& coordinator)> refuse;
};

/// Counters, for status and metrics.
struct WorkerStats {
  uint64_t offers = 0;
  uint64_t accepted = 0;
  uint64_t declined = 0;
  uint64_t succeeded = 0;
  uint64_t failed = 0;
  size_t busy = 0;  ///< accepted tasks not finished yet
  size_t slots = 0;
};

class WorkerService {
 public:
  WorkerService(swarm::Swarm& swarm, boost::asio::any_io_executor executor, Executor& compute,
                const HuntCatalog& catalog, WorkerSettings settings);
  /// Stops serving; streams in progress are reset.
  ~WorkerService();
  WorkerService(const WorkerService&) = delete;
  WorkerService& operator=(const WorkerService&) = delete;

  /// Serves /prowl/task/1.0.0 on the swarm.
  void install();

  WorkerStats stats() const;

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;  // shared with its coroutines, which may outlive it
};

}  // namespace prowl::compute
