#include "host/services/compute/executor.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

namespace prowl::compute {
namespace {
namespace asio = boost::asio;
using namespace std::chrono_literals;

// Writes `text` as the task's output.
TaskFn echo(std::string text) {
  return [text](TaskContext& ctx) {
    ctx.write(std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
    return Status::Ok();
  };
}

// A task that holds its worker until the gate opens.
class Gate {
 public:
  TaskFn blocker() {
    return [this](TaskContext&) {
      std::unique_lock lock(m_);
      cv_.wait(lock, [&] { return open_; });
      return Status::Ok();
    };
  }
  void open() {
    {
      std::lock_guard lock(m_);
      open_ = true;
    }
    cv_.notify_all();
  }

 private:
  std::mutex m_;
  std::condition_variable cv_;
  bool open_ = false;
};

// Waits until `n` tasks are on a worker (bounded by 10 s).
void wait_running(const Executor& executor, size_t n) {
  const auto give_up = Clock::now() + 10s;
  while (executor.stats().running < n && Clock::now() < give_up) std::this_thread::sleep_for(1ms);
  ASSERT_EQ(executor.stats().running, n);
}

// Runs the loop until `results` holds `n` entries (bounded by 10 s).
void run_until(asio::io_context& io, const std::vector<TaskResult>& results, size_t n) {
  const auto give_up = Clock::now() + 10s;
  while (results.size() < n && Clock::now() < give_up) {
    io.run_for(5ms);
    io.restart();
  }
  ASSERT_EQ(results.size(), n);
}

TEST(ExecutorTest, RunsTasksOffTheLoopAndPostsResultsBack) {
  asio::io_context io;
  Executor executor(io.get_executor(), {.threads = 2});
  std::vector<TaskResult> results;
  const std::thread::id loop_thread = std::this_thread::get_id();
  std::atomic<bool> ran_on_loop{false};
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(executor
                    .submit(
                        [&, i](TaskContext& ctx) {
                          if (std::this_thread::get_id() == loop_thread) ran_on_loop = true;
                          const uint8_t byte = static_cast<uint8_t>(i);
                          ctx.write(std::span(&byte, 1));
                          return Status::Ok();
                        },
                        {},
                        [&](TaskResult r) {
                          EXPECT_EQ(std::this_thread::get_id(), loop_thread);
                          results.push_back(std::move(r));
                        })
                    .ok());
  }
  run_until(io, results, 20);
  EXPECT_FALSE(ran_on_loop.load());
  for (const auto& r : results) {
    EXPECT_TRUE(r.status.ok()) << r.status.to_string();
    EXPECT_EQ(r.output.size(), 1u);
  }
  EXPECT_EQ(executor.stats().succeeded, 20u);
}

TEST(ExecutorTest, ATaskThatThrowsFailsAndTheExecutorGoesOn) {
  asio::io_context io;
  Executor executor(io.get_executor(), {.threads = 1});
  std::vector<TaskResult> results;
  auto keep = [&](TaskResult r) { results.push_back(std::move(r)); };
  ASSERT_TRUE(executor.submit([](TaskContext&) -> Status { throw std::runtime_error("sieve index out of range"); },
                              {}, keep)
                  .ok());
  ASSERT_TRUE(executor.submit(echo("after"), {}, keep).ok());
  run_until(io, results, 2);
  EXPECT_EQ(results[0].status.code(), StatusCode::kInternal);
  EXPECT_EQ(results[0].status.message(), "task threw: sieve index out of range");
  EXPECT_TRUE(results[1].status.ok());
  EXPECT_EQ(std::string(results[1].output.begin(), results[1].output.end()), "after");
}

TEST(ExecutorTest, OutputPastItsLimitFailsWithLimit) {
  asio::io_context io;
  Executor executor(io.get_executor(), {.threads = 1, .max_output_bytes = 8});
  std::vector<TaskResult> results;
  auto keep = [&](TaskResult r) { results.push_back(std::move(r)); };
  ASSERT_TRUE(executor.submit(echo("twelve bytes"), {}, keep).ok());
  ASSERT_TRUE(executor.submit(echo("twelve bytes"), {.max_output_bytes = 12}, keep).ok());
  run_until(io, results, 2);
  EXPECT_EQ(results[0].status.code(), StatusCode::kLimit);
  EXPECT_EQ(results[0].status.message(), "task output passed its limit of 8 bytes");
  EXPECT_TRUE(results[0].output.empty());
  EXPECT_TRUE(results[1].status.ok());
}

TEST(ExecutorTest, ATaskPastItsDeadlineFailsAtTheDeadlineAndIsToldToStop) {
  asio::io_context io;
  Executor executor(io.get_executor(), {.threads = 1});
  std::vector<TaskResult> results;
  std::atomic<bool> saw_stop{false};
  const auto start = Clock::now();
  ASSERT_TRUE(executor
                  .submit(
                      [&](TaskContext& ctx) {
                        while (!ctx.should_stop()) std::this_thread::sleep_for(1ms);
                        saw_stop = true;
                        return Status::Ok();
                      },
                      {.deadline = 100ms}, [&](TaskResult r) { results.push_back(std::move(r)); })
                  .ok());
  run_until(io, results, 1);
  EXPECT_EQ(results[0].status.code(), StatusCode::kTimeout);
  EXPECT_EQ(results[0].status.message(), "task still running at its deadline of 100 ms");
  EXPECT_GE(Clock::now() - start, 100ms);
  executor.close();  // waits for the task code to return
  EXPECT_TRUE(saw_stop.load());
}

TEST(ExecutorTest, AHungTaskDoesNotStopOthers) {
  asio::io_context io;
  Executor executor(io.get_executor(), {.threads = 2});
  std::vector<TaskResult> results;
  Gate gate;
  auto keep = [&](TaskResult r) { results.push_back(std::move(r)); };
  ASSERT_TRUE(executor.submit(gate.blocker(), {.deadline = 50ms}, keep).ok());
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(executor.submit(echo("ok"), {}, keep).ok());
  run_until(io, results, 6);
  size_t ok = 0, timed_out = 0;
  for (const auto& r : results) {
    ok += r.status.ok() ? 1 : 0;
    timed_out += r.status.code() == StatusCode::kTimeout ? 1 : 0;
  }
  EXPECT_EQ(ok, 5u);
  EXPECT_EQ(timed_out, 1u);
  gate.open();
}

TEST(ExecutorTest, HigherPriorityRunsFirst) {
  asio::io_context io;
  Executor executor(io.get_executor(), {.threads = 1});
  std::vector<TaskResult> results;
  Gate gate;
  std::vector<std::string> order;
  std::mutex order_mutex;
  auto keep = [&](TaskResult r) { results.push_back(std::move(r)); };
  auto record = [&](std::string name) {
    return [&, name](TaskContext&) {
      std::lock_guard lock(order_mutex);
      order.push_back(name);
      return Status::Ok();
    };
  };
  // The first task holds the one worker while the others queue.
  ASSERT_TRUE(executor.submit(gate.blocker(), {}, keep).ok());
  wait_running(executor, 1);
  ASSERT_TRUE(executor.submit(record("low"), {.priority = Priority::kLow}, keep).ok());
  ASSERT_TRUE(executor.submit(record("normal-1"), {}, keep).ok());
  ASSERT_TRUE(executor.submit(record("high"), {.priority = Priority::kHigh}, keep).ok());
  ASSERT_TRUE(executor.submit(record("normal-2"), {}, keep).ok());
  gate.open();
  run_until(io, results, 5);
  EXPECT_EQ(order, (std::vector<std::string>{"high", "normal-1", "normal-2", "low"}));
}

TEST(ExecutorTest, AFullQueueRefusesWithItsBound) {
  asio::io_context io;
  Executor executor(io.get_executor(), {.threads = 1, .max_queued = 2});
  std::vector<TaskResult> results;
  Gate gate;
  auto keep = [&](TaskResult r) { results.push_back(std::move(r)); };
  ASSERT_TRUE(executor.submit(gate.blocker(), {}, keep).ok());
  wait_running(executor, 1);  // the first task is running, not queued
  ASSERT_TRUE(executor.submit(echo("a"), {}, keep).ok());
  ASSERT_TRUE(executor.submit(echo("b"), {}, keep).ok());
  const Status refused = executor.submit(echo("c"), {}, keep);
  EXPECT_EQ(refused.code(), StatusCode::kLimit);
  EXPECT_EQ(refused.message(), "the compute queue is full (2 tasks waiting; compute.max_queued)");
  gate.open();
  run_until(io, results, 3);
  EXPECT_EQ(executor.stats().refused, 1u);
}

TEST(ExecutorTest, CancelEndsAQueuedTaskAtOnceAndItNeverRuns) {
  asio::io_context io;
  Executor executor(io.get_executor(), {.threads = 1});
  std::vector<TaskResult> results;
  Gate gate;
  std::atomic<bool> cancelled_ran{false};
  auto keep = [&](TaskResult r) { results.push_back(std::move(r)); };
  ASSERT_TRUE(executor.submit(gate.blocker(), {}, keep).ok());
  TaskId id = 0;
  ASSERT_TRUE(executor
                  .submit(
                      [&](TaskContext&) {
                        cancelled_ran = true;
                        return Status::Ok();
                      },
                      {}, keep, &id)
                  .ok());
  EXPECT_TRUE(executor.cancel(id));
  EXPECT_FALSE(executor.cancel(id));
  run_until(io, results, 1);
  EXPECT_EQ(results[0].status.code(), StatusCode::kClosed);
  EXPECT_EQ(results[0].status.message(), "task cancelled");
  gate.open();
  run_until(io, results, 2);
  EXPECT_FALSE(cancelled_ran.load());
}

TEST(ExecutorTest, CloseEndsQueuedTasksAndRefusesNewOnes) {
  asio::io_context io;
  Executor executor(io.get_executor(), {.threads = 1});
  std::vector<TaskResult> results;
  auto keep = [&](TaskResult r) { results.push_back(std::move(r)); };
  ASSERT_TRUE(executor.submit([](TaskContext& ctx) {
                                while (!ctx.should_stop()) std::this_thread::sleep_for(1ms);
                                return Status::Ok();
                              },
                              {}, keep)
                  .ok());
  ASSERT_TRUE(executor.submit(echo("never"), {}, keep).ok());
  executor.close();
  EXPECT_EQ(executor.submit(echo("late"), {}, keep).code(), StatusCode::kClosed);
  run_until(io, results, 2);
  for (const auto& r : results) EXPECT_EQ(r.status.code(), StatusCode::kClosed) << r.status.to_string();
}

TEST(ExecutorTest, RunAsACoroutine) {
  asio::io_context io;
  Executor executor(io.get_executor(), {.threads = 2});
  std::string got;
  asio::co_spawn(io, [&]() -> asio::awaitable<void> {
    TaskResult r = co_await executor.run(echo("from a coroutine"));
    got.assign(r.output.begin(), r.output.end());
  }, asio::detached);
  const auto give_up = Clock::now() + 10s;
  while (got.empty() && Clock::now() < give_up) {
    io.run_for(5ms);
    io.restart();
  }
  EXPECT_EQ(got, "from a coroutine");
}

}  // namespace
}  // namespace prowl::compute
