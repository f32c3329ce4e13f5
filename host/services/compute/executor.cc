#include "host/services/compute/executor.h"

#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <tbb/global_control.h>
#include <tbb/task_arena.h>

#include <condition_variable>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <queue>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>

namespace prowl::compute {
namespace asio = boost::asio;

bool TaskContext::write(std::span<const uint8_t> bytes) {
  if (overflowed_ || bytes.size() > max_output_ - output_.size()) {
    overflowed_ = true;
    return false;
  }
  output_.insert(output_.end(), bytes.begin(), bytes.end());
  return true;
}

namespace {

std::string ms_text(std::chrono::nanoseconds d) {
  return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(d).count()) + " ms";
}

}  // namespace

struct Executor::State : std::enable_shared_from_this<Executor::State> {
  struct Job {
    TaskId id = 0;
    TaskFn fn;
    Done done;
    Clock::time_point submitted;
    Clock::time_point deadline;
    size_t max_output = 0;
    std::atomic<bool> cancelled{false};
    std::atomic<bool> finished{false};
    bool started = false;  // guarded by State::mutex
  };
  struct Entry {
    Priority priority;
    uint64_t sequence;
    std::shared_ptr<Job> job;
    bool operator<(const Entry& other) const {
      // std::priority_queue pops the largest: higher priority, then earlier.
      if (priority != other.priority) return priority < other.priority;
      return sequence > other.sequence;
    }
  };

  State(asio::any_io_executor loop_executor, ExecutorOptions opts)
      : loop(std::move(loop_executor)),
        options(normalized(opts)),
        allowance(allow_workers(options.threads)),
        arena(static_cast<int>(options.threads), 0),
        timer(loop) {}

  static ExecutorOptions normalized(ExecutorOptions o) {
    if (o.threads == 0) o.threads = std::max(1u, std::thread::hardware_concurrency());
    if (o.default_deadline.count() <= 0) o.default_deadline = std::chrono::milliseconds(60'000);
    return o;
  }

  // oneTBB allows as many threads as cores by default; an executor sized
  // beyond that raises the allowance for as long as it lives.
  static std::unique_ptr<tbb::global_control> allow_workers(size_t workers) {
    const size_t parallelism = tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism);
    if (parallelism >= workers + 1) return nullptr;
    return std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism, workers + 1);
  }

  // Delivers `result` once; removes the job's bookkeeping. Any thread.
  void finish(const std::shared_ptr<Job>& job, TaskResult result) {
    if (job->finished.exchange(true)) return;
    {
      std::lock_guard lock(mutex);
      jobs.erase(job->id);
      remove_deadline(*job);
      if (!job->started) --live_queued;
      if (result.status.ok()) {
        ++counters.succeeded;
      } else {
        ++counters.failed;
      }
    }
    asio::post(loop, [done = std::move(job->done), result = std::move(result)]() mutable { done(std::move(result)); });
  }

  void remove_deadline(const Job& job) {
    auto [first, last] = deadlines.equal_range(job.deadline);
    for (auto it = first; it != last; ++it) {
      if (it->second == job.id) {
        deadlines.erase(it);
        return;
      }
    }
  }

  // Worker: runs queued jobs until the queue is empty.
  void drain() {
    for (;;) {
      std::shared_ptr<Job> job;
      {
        std::unique_lock lock(mutex);
        while (!queue.empty() && queue.top().job->finished.load()) queue.pop();
        if (queue.empty()) {
          --workers;
          idle.notify_all();
          return;
        }
        job = queue.top().job;
        queue.pop();
        job->started = true;
        --live_queued;
        ++running;
      }
      run_job(job);
      std::lock_guard lock(mutex);
      --running;
    }
  }

  void run_job(const std::shared_ptr<Job>& job) {
    TaskResult result;
    const Clock::time_point start = Clock::now();
    result.queue_time = start - job->submitted;
    if (start >= job->deadline) {
      result.status = Status::Timeout("task waited " + ms_text(result.queue_time) + " in the queue, past its deadline");
      finish(job, std::move(result));
      return;
    }
    TaskContext ctx(job->cancelled, job->deadline, job->max_output);
    Status status;
    try {
      status = job->fn(ctx);
    } catch (const std::exception& e) {
      status = Status::Internal(std::string("task threw: ") + e.what());
    } catch (...) {
      status = Status::Internal("task threw an unknown exception");
    }
    const Clock::time_point end = Clock::now();
    result.run_time = end - start;
    if (status.ok() && ctx.overflowed()) {
      status = Status::Limit("task output passed its limit of " + std::to_string(job->max_output) + " bytes");
    } else if (status.ok() && end > job->deadline) {
      status = Status::Timeout("task ran " + ms_text(result.run_time) + ", past its deadline of " +
                               ms_text(job->deadline - job->submitted));
    } else if (status.ok() && job->cancelled.load()) {
      status = Status::Closed("task cancelled");
    }
    if (status.ok()) result.output = std::move(ctx.output());
    result.status = std::move(status);
    finish(job, std::move(result));
  }

  // Loop thread only: arms the timer at the earliest deadline in flight.
  void rearm() {
    Clock::time_point next = Clock::time_point::max();
    {
      std::lock_guard lock(mutex);
      if (!deadlines.empty()) next = deadlines.begin()->first;
      armed_at = next;
    }
    if (next == Clock::time_point::max()) {
      timer.cancel();
      return;
    }
    timer.expires_at(next);
    timer.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
      if (ec) return;
      if (auto self = weak.lock()) self->expire();
    });
  }

  // Loop thread only: fails every job whose deadline passed.
  void expire() {
    std::vector<std::shared_ptr<Job>> late;
    const Clock::time_point now = Clock::now();
    {
      std::lock_guard lock(mutex);
      for (auto it = deadlines.begin(); it != deadlines.end() && it->first <= now; ++it) {
        auto job = jobs.find(it->second);
        if (job != jobs.end()) late.push_back(job->second);
      }
    }
    for (const auto& job : late) {
      job->cancelled.store(true);
      TaskResult result;
      bool started;
      {
        std::lock_guard lock(mutex);
        started = job->started;
      }
      const auto allowed = job->deadline - job->submitted;
      result.status = started ? Status::Timeout("task still running at its deadline of " + ms_text(allowed))
                              : Status::Timeout("task still queued at its deadline of " + ms_text(allowed));
      finish(job, std::move(result));
    }
    rearm();
  }

  const asio::any_io_executor loop;
  const ExecutorOptions options;
  const std::unique_ptr<tbb::global_control> allowance;
  tbb::task_arena arena;
  asio::steady_timer timer;  // loop thread only

  mutable std::mutex mutex;
  std::condition_variable idle;
  std::priority_queue<Entry> queue;
  std::unordered_map<TaskId, std::shared_ptr<Job>> jobs;
  std::multimap<Clock::time_point, TaskId> deadlines;
  Clock::time_point armed_at = Clock::time_point::max();
  uint64_t next_id = 1;
  uint64_t sequence = 0;
  size_t live_queued = 0;
  size_t running = 0;
  size_t workers = 0;
  bool closed = false;
  ExecutorStats counters;
};

Executor::Executor(asio::any_io_executor loop, ExecutorOptions options)
    : state_(std::make_shared<State>(std::move(loop), options)) {}

Executor::~Executor() { close(); }

size_t Executor::threads() const noexcept { return state_->options.threads; }

Status Executor::submit(TaskFn task, TaskOptions options, Done done, TaskId* id) {
  State& s = *state_;
  auto job = std::make_shared<State::Job>();
  job->fn = std::move(task);
  job->done = std::move(done);
  job->submitted = Clock::now();
  job->deadline = job->submitted + (options.deadline.count() > 0 ? options.deadline : s.options.default_deadline);
  job->max_output = options.max_output_bytes > 0 ? options.max_output_bytes : s.options.max_output_bytes;
  bool spawn = false;
  bool earlier = false;
  {
    std::lock_guard lock(s.mutex);
    ++s.counters.submitted;
    if (s.closed) {
      ++s.counters.refused;
      return Status::Closed("the compute executor is closed");
    }
    if (s.live_queued >= s.options.max_queued) {
      ++s.counters.refused;
      return Status::Limit("the compute queue is full (" + std::to_string(s.options.max_queued) +
                           " tasks waiting; compute.max_queued)");
    }
    job->id = s.next_id++;
    s.jobs.emplace(job->id, job);
    s.deadlines.emplace(job->deadline, job->id);
    s.queue.push({options.priority, s.sequence++, job});
    ++s.live_queued;
    if (s.workers < s.options.threads) {
      ++s.workers;
      spawn = true;
    }
    earlier = job->deadline < s.armed_at;
    if (earlier) s.armed_at = job->deadline;
  }
  if (id != nullptr) *id = job->id;
  // A worker's last touch of the state is releasing its mutex in drain(),
  // which close() waits for, so the raw pointer outlives every worker.
  if (spawn) s.arena.enqueue([state = state_.get()] { state->drain(); });
  if (earlier) {
    asio::post(s.loop, [weak = std::weak_ptr<State>(state_)] {
      if (auto state = weak.lock()) state->rearm();
    });
  }
  return Status::Ok();
}

asio::awaitable<TaskResult> Executor::run(TaskFn task, TaskOptions options) {
  auto result = std::make_shared<std::optional<TaskResult>>();
  auto latch = std::make_shared<asio::steady_timer>(co_await asio::this_coro::executor,
                                                    asio::steady_timer::time_point::max());
  Status submitted = submit(std::move(task), options, [result, latch](TaskResult r) {
    *result = std::move(r);
    latch->cancel();
  });
  if (!submitted.ok()) {
    TaskResult refused;
    refused.status = std::move(submitted);
    co_return refused;
  }
  while (!result->has_value()) {
    boost::system::error_code ignored;
    co_await latch->async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
  co_return std::move(**result);
}

bool Executor::cancel(TaskId id) {
  std::shared_ptr<State::Job> job;
  {
    std::lock_guard lock(state_->mutex);
    auto it = state_->jobs.find(id);
    if (it == state_->jobs.end()) return false;
    job = it->second;
  }
  job->cancelled.store(true);
  TaskResult result;
  result.status = Status::Closed("task cancelled");
  state_->finish(job, std::move(result));
  return true;
}

void Executor::close() {
  State& s = *state_;
  std::vector<std::shared_ptr<State::Job>> pending;
  {
    std::lock_guard lock(s.mutex);
    if (s.closed && s.workers == 0) return;
    s.closed = true;
    for (const auto& [id, job] : s.jobs) pending.push_back(job);
  }
  for (const auto& job : pending) {
    job->cancelled.store(true);
    TaskResult result;
    result.status = Status::Closed("the compute executor closed");
    s.finish(job, std::move(result));
  }
  std::unique_lock lock(s.mutex);
  s.idle.wait(lock, [&] { return s.workers == 0; });
}

ExecutorStats Executor::stats() const {
  std::lock_guard lock(state_->mutex);
  ExecutorStats out = state_->counters;
  out.queued = state_->live_queued;
  out.running = state_->running;
  return out;
}

}  // namespace prowl::compute
