// The local compute executor's overhead per task: N tiny tasks through
// compute::Executor (queue, priorities, deadlines, completion posted back to
// an event loop), against the same tasks on a bare oneTBB task_group in the
// same run, the floor for handing work to oneTBB workers. Prints one JSON
// line per round:
//   bench_executor [--tasks N] [--threads T] [--rounds R] [--work-ns W]
#include <boost/asio/io_context.hpp>

#include <tbb/task_arena.h>
#include <tbb/task_group.h>

#include <CLI/CLI.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

#include "host/services/compute/executor.h"

namespace {
using Clock = std::chrono::steady_clock;

// Spins for about `ns` nanoseconds (0: returns at once), standing in for task code.
void work(long ns) {
  if (ns <= 0) return;
  const auto until = Clock::now() + std::chrono::nanoseconds(ns);
  while (Clock::now() < until) {
  }
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  size_t tasks = 200'000;
  size_t threads = std::max(1u, std::thread::hardware_concurrency());
  int rounds = 3;
  long work_ns = 0;
  CLI::App app{"compute executor overhead per task"};
  app.add_option("--tasks", tasks, "tasks per round")->check(CLI::Range(size_t{1}, size_t{100'000'000}));
  app.add_option("--threads", threads, "worker threads")->check(CLI::Range(size_t{1}, size_t{256}));
  app.add_option("--rounds", rounds, "rounds")->check(CLI::Range(1, 100));
  app.add_option("--work-ns", work_ns, "spin this long in each task")->check(CLI::Range(0L, 1'000'000'000L));
  CLI11_PARSE(app, argc, argv);

  for (int round = 0; round < rounds; ++round) {
    // The floor: the same tasks on a bare task_group in an arena of the same size.
    tbb::task_arena arena(static_cast<int>(threads));
    std::atomic<size_t> ran{0};
    auto start = Clock::now();
    arena.execute([&] {
      tbb::task_group group;
      for (size_t i = 0; i < tasks; ++i) {
        group.run([&] {
          work(work_ns);
          ran.fetch_add(1, std::memory_order_relaxed);
        });
      }
      group.wait();
    });
    const double tbb_seconds = seconds_since(start);

    // The executor: submit everything, run the loop until every result is back.
    boost::asio::io_context io;
    prowl::compute::Executor executor(io.get_executor(),
                                      {.threads = threads, .max_queued = tasks + 1});
    size_t done = 0, failed = 0;
    start = Clock::now();
    for (size_t i = 0; i < tasks; ++i) {
      const prowl::Status s = executor.submit(
          [work_ns](prowl::compute::TaskContext&) {
            work(work_ns);
            return prowl::Status::Ok();
          },
          {}, [&](prowl::compute::TaskResult r) {
            ++done;
            failed += r.status.ok() ? 0 : 1;
          });
      if (!s.ok()) {
        std::fprintf(stderr, "bench_executor: %s\n", s.to_string().c_str());
        return 1;
      }
    }
    while (done < tasks) io.run_one();
    const double executor_seconds = seconds_since(start);
    executor.close();

    std::printf(
        "{\"round\":%d,\"tasks\":%zu,\"threads\":%zu,\"workNs\":%ld,\"failed\":%zu,"
        "\"executorSeconds\":%.4f,\"executorTasksPerSecond\":%.0f,\"executorUsPerTask\":%.3f,"
        "\"tbbSeconds\":%.4f,\"tbbTasksPerSecond\":%.0f,\"tbbUsPerTask\":%.3f,\"overheadRatio\":%.2f}\n",
        round, tasks, threads, work_ns, failed, executor_seconds, tasks / executor_seconds,
        executor_seconds * 1e6 / tasks, tbb_seconds, tasks / tbb_seconds, tbb_seconds * 1e6 / tasks,
        executor_seconds / tbb_seconds);
    std::fflush(stdout);
  }
  return 0;
}
