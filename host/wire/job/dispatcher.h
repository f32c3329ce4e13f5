// The coordinator's core for one job: which worker runs which task's
// replica, when results agree enough to accept, and what to do when they do
// not. Sans-IO: events go in with the time they happened, actions come out of
// poll(); nothing here reads a clock, sends a byte or draws a random number
// itself.
//
// Verification. A task runs on `replicas` distinct workers and is accepted
// when `quorum` result digests agree. When the results are in and no digest
// has a quorum, one more replica runs, up to `max_replicas`; then the task
// fails. A hunt with a cheap check (`checked`) needs one replica. Adaptive
// replication, as BOINC does it: a task whose first worker has a run of at
// least `trust_run` consecutive valid results (and no quarantine) runs once,
// except for a spot check with probability max(min_spot_check, trust_run /
// run); a single result is accepted provisionally, and if that worker is
// caught lying later in the job, every task it alone vouched for is reopened
// and run again on others, so its results never reach the merge unchecked
// by the end of the job unless it was never caught.
//
// Dispatch. Workers grant credits (free slots); each offer takes one and a
// result, failure or decline gives it back. poll() fills every worker's
// credits with the lowest-numbered tasks that still need a replica, never
// giving one worker two replicas of one task. A replica that times out, or
// whose worker declines, fails or leaves, is reassigned, at most
// `max_attempts` times per task. When no task needs a replica, idle workers
// get backup copies of the longest-running replicas (MapReduce's backup
// tasks, LATE's longest-running-first); the first result that verifies wins
// and the others are cancelled. A worker whose errors, declines and lost
// tasks reach `throttle_after` and outnumber its results gets no offers for
// `throttle_time`.
//
// Thread safety: none; drive one Dispatcher from one executor.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "host/base/identity/peer_id.h"
#include "host/base/status/status.h"

namespace prowl::job {

using Clock = std::chrono::steady_clock;
using Time = Clock::time_point;
using TaskIndex = uint32_t;
using Digest = std::array<uint8_t, 32>;
using WorkerId = identity::PeerId;

struct Settings {
  uint32_t replicas = 2;      ///< k: replicas of a task (--replicas)
  uint32_t quorum = 2;        ///< m: agreeing digests to accept (--quorum)
  uint32_t max_replicas = 5;  ///< cap on replicas after disagreements
  bool checked = false;       ///< the hunt checks results itself: one replica
  bool adaptive = true;       ///< single replication for workers with a run of valid results
  uint32_t trust_run = 10;    ///< consecutive valid results before single replication
  double min_spot_check = 0.05;
  uint32_t max_attempts = 4;  ///< reassignments of one task (timeouts, declines, failures, leaves)
  std::chrono::milliseconds task_timeout{60'000};
  bool backups = true;  ///< backup copies of stragglers near the job's end
  uint32_t throttle_after = 4;
  std::chrono::milliseconds throttle_time{30'000};

  /// OK, or kInvalidInput naming the bad setting (quorum above replicas,
  /// replicas above max_replicas, a zero count).
  Status validate() const;
};

/// What the dispatcher needs of a worker's history (from reputation).
struct Standing {
  bool quarantined = false;
  uint64_t consecutive_valid = 0;  ///< valid results since its last invalid one
  bool trusted = false;            ///< trust at or above the threshold
};
using StandingFn = std::function<Standing(const WorkerId&)>;
/// A uniform draw in [0, 1), for spot checks.
using RandomFn = std::function<double()>;

// --- actions ---------------------------------------------------------------

/// One thing for the driver to do. (A flat struct rather than a variant:
/// GCC 12 reports false maybe-uninitialized errors on moving such variants.)
struct Action {
  enum class Kind {
    kOffer,   ///< send task `task` to `worker` (`backup`: a backup copy); batch one poll's offers per worker
    kCancel,  ///< tell `worker` to stop `task` (a quorum was reached without it, or it timed out)
    kAccept,  ///< `task`'s outcome: the bytes `worker` returned, whose digest is `digest`;
              ///< `provisional` when a single trusted worker vouched for it
    kReopen,  ///< `task`'s accepted outcome was withdrawn (its worker was caught lying): drop it
    kFail,    ///< `task` cannot complete; the job fails with `why`
    kVerdict, ///< for reputation: `worker`'s result for `task` was `verdict`
  };
  enum class Verdict { kValid, kInvalid, kLost };

  Kind kind = Kind::kOffer;
  TaskIndex task = 0;
  std::optional<WorkerId> worker;  ///< set for offers, cancels, accepts and verdicts
  bool backup = false;
  bool provisional = false;
  Digest digest{};
  Verdict verdict = Verdict::kValid;
  std::chrono::nanoseconds run_time{0};
  Status why;

  static Action offer(const WorkerId& w, TaskIndex t, bool backup_copy);
  static Action cancel(const WorkerId& w, TaskIndex t);
  static Action accept(TaskIndex t, const Digest& d, const WorkerId& from, bool provisional_outcome);
  static Action reopen(TaskIndex t);
  static Action fail(TaskIndex t, Status reason);
  static Action judge(const WorkerId& w, TaskIndex t, Verdict v, std::chrono::nanoseconds run);
};

/// Counters for progress lines and the final report.
struct Stats {
  size_t tasks = 0;
  size_t accepted = 0;        ///< tasks with an accepted outcome now
  size_t failed = 0;          ///< tasks that cannot complete
  uint64_t offers = 0;        ///< replicas sent (backups included)
  uint64_t results = 0;       ///< replicas that returned a result
  uint64_t rejected = 0;      ///< results that did not verify
  uint64_t reassigned = 0;    ///< replicas sent again after a timeout, decline, failure or leave
  uint64_t backups = 0;       ///< backup copies sent
  std::map<WorkerId, uint64_t> results_per_worker;
};

class Dispatcher {
 public:
  /// A job of `task_count` tasks. REQUIRES: settings.validate().ok().
  Dispatcher(size_t task_count, Settings settings, StandingFn standing, RandomFn random);

  /// Resuming from a journal: `task` was accepted before; it is not run again.
  void restore_accepted(TaskIndex task, const Digest& digest, const WorkerId& from);

  /// A worker that serves this job's hunt joined with `credits` free slots
  /// (or announced more).
  void add_worker(const WorkerId& worker, uint32_t credits);
  /// Grants `slots` more credits.
  void add_credit(const WorkerId& worker, uint32_t slots);
  /// The worker left: its running replicas are reassigned (verdict: lost).
  void remove_worker(const WorkerId& worker, Time now);

  /// The worker took the offer (its replica's clock starts at the offer).
  void accepted(const WorkerId& worker, TaskIndex task);
  /// The worker refused the offer. `permanent` (unknown hunt, version
  /// mismatch, quarantined) removes it from the job; otherwise (full) its
  /// credits drop to zero until it grants more.
  void declined(const WorkerId& worker, TaskIndex task, bool permanent, Time now);
  /// The task failed on the worker (threw, overran its deadline or limit).
  void failed(const WorkerId& worker, TaskIndex task, const std::string& error, Time now);
  /// The worker's result for `task` has `digest` and ran `run_time`.
  void result(const WorkerId& worker, TaskIndex task, const Digest& digest, std::chrono::nanoseconds run_time,
              Time now);
  /// The worker's result for `task` failed the hunt's own check: a lie.
  void rejected_by_check(const WorkerId& worker, TaskIndex task, Time now);

  /// Times out replicas past task_timeout and assigns work; returns what to do.
  std::vector<Action> poll(Time now);

  /// True once every task is accepted (or one failed: see stats().failed).
  bool done() const noexcept { return stats_.accepted == tasks_.size() || stats_.failed > 0; }
  const Stats& stats() const noexcept { return stats_; }
  /// The earliest time poll() has something to time out (nullopt: none).
  std::optional<Time> next_deadline() const;

 private:
  struct Assignment {
    WorkerId worker;
    Time started;
    bool backup;
  };
  struct Task {
    uint32_t needed = 0;   ///< replicas to run (0: not decided yet)
    uint32_t quorum = 0;
    uint32_t attempts = 0;
    bool accepted = false;
    bool failed = false;
    bool provisional = false;
    Digest digest{};
    std::vector<Assignment> running;
    std::map<WorkerId, Digest> results;  ///< votes of workers not caught lying
    std::vector<WorkerId> excluded;      ///< caught lying on this task: never offered it again
    std::string last_error;
  };
  struct Worker {
    uint32_t credits = 0;
    bool active = true;
    uint32_t errors = 0;
    uint32_t good = 0;
    Time throttled_until{};
    std::vector<TaskIndex> vouched;  ///< tasks accepted on this worker's single result
  };

  void decide_replication(Task& task, const WorkerId& first);
  void offer(TaskIndex index, const WorkerId& worker, bool backup, Time now);
  void accept(TaskIndex index, const Digest& digest, const WorkerId& from);
  bool wants_replica(const Task& task) const;
  bool has_tried(const Task& task, const WorkerId& worker) const;
  /// Removes `worker`'s running replica of task `index`; false when it had none.
  bool drop_running(TaskIndex index, const WorkerId& worker);
  /// Counts an attempt of task `index` lost to `why`; fails the task past max_attempts.
  void retry(TaskIndex index, const std::string& why);
  void count_error(const WorkerId& worker, Time now);
  void evaluate(TaskIndex index);
  void convict(const WorkerId& worker, TaskIndex caught_on, std::chrono::nanoseconds run_time);
  void assign(Time now);

  Settings settings_;
  StandingFn standing_;
  RandomFn random_;
  std::vector<Task> tasks_;
  std::map<WorkerId, Worker> workers_;
  std::multimap<Time, std::pair<TaskIndex, WorkerId>> timeouts_;  ///< running replicas by deadline
  std::vector<Action> out_;
  Stats stats_;
  size_t next_open_ = 0;  ///< tasks below this index need nothing (a scan hint)
};

}  // namespace prowl::job
