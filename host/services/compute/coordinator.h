// The coordinator side of swarm compute: runs one job of a hunt across this
// host's compute executor and the workers it finds among connected peers.
//
// It plans the job (hunt.plan, on the executor), then drives a
// job::Dispatcher: offers task replicas to workers over /prowl/task/1.0.0
// and to itself, verifies results by digest (and the hunt's check, when it
// has one), reassigns on timeout, decline, failure and disconnect, backs up
// stragglers, and reports verdicts to reputation. Every accepted outcome is
// journaled before it counts, so a coordinator killed and run again with
// the same journal resumes the job without running an accepted task again.
// When every task is accepted it merges the results (hunt.merge) into the
// job's outcome.
//
// Not thread-safe: use it on the swarm's executor. REQUIRES: everything
// passed by reference outlives it.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "host/base/identity/peer_id.h"
#include "host/base/status/status.h"
#include "host/services/compute/executor.h"
#include "host/services/compute/hunt.h"
#include "host/wire/job/dispatcher.h"
#include "host/wire/job/journal.h"
#include "host/wire/reputation/store.h"
#include "host/wire/task/message.h"

namespace prowl::swarm {
class Swarm;
}

namespace prowl::compute {

struct JobSpec {
  std::string hunt;
  std::string params = "{}";      ///< JSON text, passed to the hunt as is
  std::filesystem::path input;    ///< optional input file
  job::Settings settings;         ///< replicas, quorum, timeouts, ...
  bool local = true;              ///< run tasks on this host too
  size_t local_slots = 0;         ///< this host's tasks at once; 0: the executor's threads
  std::chrono::milliseconds task_deadline{60'000};
  uint64_t max_result_bytes = 64u << 20;
};

struct JobReport {
  std::string job_id;
  Status status;                 ///< OK, or why the job failed
  std::vector<uint8_t> outcome;  ///< the merged outcome when OK
  job::Stats stats;
  size_t restored = 0;           ///< tasks taken from the journal, not run again
  std::map<std::string, uint64_t> tasks_per_worker;  ///< task replicas each worker returned ("local": this host)
  double seconds = 0;
};

/// Called on the executor now and then with the job's counters.
using ProgressFn = std::function<void(const job::Stats&)>;

struct CoordinatorSettings {
  task::Limits limits;
  /// Peers to try as workers; asked at the start and every rescan. Default: every connected peer.
  std::function<std::vector<identity::PeerId>()> candidates;
  std::chrono::milliseconds rescan{2000};
  std::chrono::milliseconds progress_every{250};
};

class Coordinator {
 public:
  /// `reputation` and `journal` may be null (no verdicts kept; no resuming).
  Coordinator(swarm::Swarm& swarm, boost::asio::any_io_executor executor, Executor& compute,
              const HuntCatalog& catalog, reputation::Book* reputation, job::Journal* journal,
              CoordinatorSettings settings = {});
  ~Coordinator();
  Coordinator(const Coordinator&) = delete;
  Coordinator& operator=(const Coordinator&) = delete;

  /// Runs `spec` to its end. Bad specs (unknown hunt, bad params, an
  /// unreadable input) come back as a failed report naming the problem.
  boost::asio::awaitable<JobReport> run(JobSpec spec, ProgressFn progress = {});

  /// Ends the running job: it reports kClosed ("cancelled").
  void cancel();

 private:
  class Job;
  swarm::Swarm& swarm_;
  boost::asio::any_io_executor executor_;
  Executor& compute_;
  const HuntCatalog& catalog_;
  reputation::Book* reputation_;
  job::Journal* journal_;
  CoordinatorSettings settings_;
  std::shared_ptr<Job> running_;
};

}  // namespace prowl::compute
