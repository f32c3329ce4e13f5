// The host's local compute executor: one oneTBB arena that runs task code
// (hunt plugins' run(), checks, merges) off the event loop, with a bounded
// queue, three priorities, a deadline per task and cancellation. Results are
// posted back to the event loop's executor; the event loop never runs task
// code.
//
// A task is a function of a TaskContext. It writes its result into the
// context's bounded output and returns; it should poll ctx.should_stop()
// in long loops. A task that throws, writes past its output limit or is
// still running at its deadline fails with a Status that says so, and the
// executor goes on. A task past its deadline keeps its worker thread until
// it returns (threads cannot be killed); its late result is discarded.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "host/base/status/status.h"

namespace prowl::compute {

using Clock = std::chrono::steady_clock;

/// Larger runs first; FIFO within a priority.
enum class Priority : uint8_t { kLow = 0, kNormal = 1, kHigh = 2 };

struct ExecutorOptions {
  size_t threads = 0;                    ///< workers; 0: one per core (compute.threads)
  size_t max_queued = 4096;              ///< tasks waiting beyond the running ones
  size_t max_output_bytes = 16u << 20;   ///< a task's default output limit
  std::chrono::milliseconds default_deadline{60'000};  ///< from submission
};

/// What a running task sees. Used from the one worker thread running it.
class TaskContext {
 public:
  TaskContext(const std::atomic<bool>& cancelled, Clock::time_point deadline, size_t max_output)
      : cancelled_(cancelled), deadline_(deadline), max_output_(max_output) {}

  /// True once the task was cancelled or its deadline passed: return soon.
  bool should_stop() const noexcept {
    return cancelled_.load(std::memory_order_relaxed) || Clock::now() >= deadline_;
  }
  Clock::time_point deadline() const noexcept { return deadline_; }

  /// Appends to the task's output. Returns false, appending nothing, when
  /// the output would pass its limit; the task then fails with kLimit.
  bool write(std::span<const uint8_t> bytes);
  size_t output_limit() const noexcept { return max_output_; }

  std::vector<uint8_t>& output() noexcept { return output_; }
  bool overflowed() const noexcept { return overflowed_; }

 private:
  const std::atomic<bool>& cancelled_;
  Clock::time_point deadline_;
  size_t max_output_;
  std::vector<uint8_t> output_;
  bool overflowed_ = false;
};

/// Task code. Returns OK with its output written to ctx, or why it failed.
/// Runs on a worker thread; may throw (reported as kInternal with the text).
using TaskFn = std::function<Status(TaskContext& ctx)>;

/// How a task ended.
struct TaskResult {
  Status status;                      ///< kOk, or the failure (kTimeout, kLimit, kClosed = cancelled, ...)
  std::vector<uint8_t> output;        ///< set when status.ok()
  std::chrono::nanoseconds run_time{0};    ///< wall time on its worker (0 if it never started)
  std::chrono::nanoseconds queue_time{0};  ///< from submission to start (or to its end unstarted)
};

using TaskId = uint64_t;

/// Per-task settings; zero values take the executor's defaults.
struct TaskOptions {
  Priority priority = Priority::kNormal;
  std::chrono::milliseconds deadline{0};  ///< from submission; 0: the default
  size_t max_output_bytes = 0;            ///< 0: the default
};

/// Counters, readable from any thread.
struct ExecutorStats {
  uint64_t submitted = 0;
  uint64_t succeeded = 0;
  uint64_t failed = 0;     ///< threw, limit, deadline, cancelled
  uint64_t refused = 0;    ///< queue full or closed
  size_t queued = 0;       ///< waiting now
  size_t running = 0;      ///< on a worker now
};

/// Thread-safe: submit, cancel and stats may be called from any thread.
/// Completion callbacks run on the `loop` executor given at construction.
/// Construct, close and destroy it on the loop's thread (or while the loop
/// is not running): its deadline timer belongs to the loop.
class Executor {
 public:
  /// REQUIRES: `loop` outlives the executor.
  Executor(boost::asio::any_io_executor loop, ExecutorOptions options);
  /// Calls close().
  ~Executor();
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  using Done = std::function<void(TaskResult)>;

  /// Queues `task`; `done` is posted to the loop exactly once with its
  /// result. Returns its id, or a kLimit status naming the queue bound when
  /// the queue is full, or kClosed after close() (then `done` is not called).
  Status submit(TaskFn task, TaskOptions options, Done done, TaskId* id = nullptr);

  /// submit() as a coroutine: resumes on the loop with the result; a refused
  /// submission returns at once with its status.
  /// REQUIRES: called on the loop.
  boost::asio::awaitable<TaskResult> run(TaskFn task, TaskOptions options = {});

  /// Cancels a queued or running task: its done gets kClosed ("cancelled")
  /// at once; a running one also sees should_stop(). False when `id` has
  /// already finished or is unknown.
  bool cancel(TaskId id);

  /// Refuses new tasks, cancels queued ones (their done gets kClosed) and
  /// waits for running task code to return. Idempotent.
  void close();

  ExecutorStats stats() const;
  size_t threads() const noexcept;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace prowl::compute
