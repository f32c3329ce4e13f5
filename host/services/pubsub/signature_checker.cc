#include "host/services/pubsub/signature_checker.h"

#include <tbb/global_control.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <utility>

#include "host/wire/pubsub/message_signing.h"

namespace prowl::pubsub_service {
namespace {

// Checks one worker takes at a time: enough to amortize the hand-back, few
// enough that other workers get a share of a burst.
constexpr size_t kBatch = 32;

// oneTBB starts one worker thread fewer than its allowed parallelism (which
// counts the application's own thread); a checker asking for more raises it
// for as long as it lives.
std::unique_ptr<tbb::global_control> allow_workers(size_t workers) {
  const size_t parallelism = tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism);
  if (workers + 1 <= parallelism) return nullptr;
  return std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism, workers + 1);
}

struct Job {
  pubsub::MessageId id;
  std::shared_ptr<const pubsub::pb::Message> message;
};

}  // namespace

struct SignatureChecker::State {
  State(size_t threads, Deliver deliver_results)
      : workers(std::max<size_t>(threads, 1)),
        allowance(allow_workers(workers)),
        arena(static_cast<int>(workers), 0),
        deliver(std::move(deliver_results)) {}

  // Checks batches until the queue is empty or the checker closes.
  void drain() {
    for (;;) {
      std::vector<Job> batch;
      {
        std::lock_guard lock(mutex);
        if (closed || queue.empty()) {
          --draining;
          idle.notify_all();
          return;
        }
        const size_t n = std::min(queue.size(), kBatch);
        batch.assign(std::make_move_iterator(queue.begin()), std::make_move_iterator(queue.begin() + n));
        queue.erase(queue.begin(), queue.begin() + static_cast<std::ptrdiff_t>(n));
      }
      std::vector<Result> results;
      results.reserve(batch.size());
      for (Job& job : batch) results.push_back(Result{std::move(job.id), pubsub::verify_message(*job.message)});
      deliver(std::move(results));
    }
  }

  const size_t workers;
  const std::unique_ptr<tbb::global_control> allowance;  // null when the default suffices
  tbb::task_arena arena;
  const Deliver deliver;
  std::mutex mutex;
  std::condition_variable idle;
  std::deque<Job> queue;  // guarded by mutex
  size_t draining = 0;    // drain() calls queued or running; guarded by mutex
  bool closed = false;    // guarded by mutex
};

SignatureChecker::SignatureChecker(size_t threads, Deliver deliver)
    : state_(std::make_shared<State>(threads, std::move(deliver))) {}

SignatureChecker::~SignatureChecker() { close(); }

void SignatureChecker::submit(pubsub::MessageId id, std::shared_ptr<const pubsub::pb::Message> message) {
  {
    std::lock_guard lock(state_->mutex);
    if (state_->closed) return;
    state_->queue.push_back(Job{std::move(id), std::move(message)});
    if (state_->draining >= state_->workers) return;
    ++state_->draining;
  }
  state_->arena.enqueue([state = state_] { state->drain(); });
}

void SignatureChecker::close() {
  std::unique_lock lock(state_->mutex);
  state_->closed = true;
  state_->queue.clear();
  state_->idle.wait(lock, [this] { return state_->draining == 0; });
}

}  // namespace prowl::pubsub_service
