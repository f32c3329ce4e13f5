// The coroutines a Node spawns, tracked so that stopping can cancel them and
// wait until the last one has finished.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>

namespace prowl::node {

/// Not thread-safe: use it on its executor. REQUIRES: live() is 0 when it
/// is destroyed (join() returned), since each task's completion refers to it.
class TaskGroup {
 public:
  explicit TaskGroup(boost::asio::any_io_executor executor);
  TaskGroup(const TaskGroup&) = delete;
  TaskGroup& operator=(const TaskGroup&) = delete;

  /// Runs `task` on the executor; `on_done`, if given, gets its failure (or
  /// null) when it ends. Refused (the task is dropped) after cancel().
  void spawn(boost::asio::awaitable<void> task, std::function<void(std::exception_ptr)> on_done = {});

  /// Emits terminal cancellation to every running task (each ends at its
  /// next cancellable wait) and refuses new ones.
  void cancel();

  /// Waits until no task runs.
  boost::asio::awaitable<void> join();

  /// Tasks spawned and not yet ended.
  size_t live() const noexcept { return signals_.size(); }

 private:
  boost::asio::any_io_executor executor_;
  std::map<uint64_t, std::shared_ptr<boost::asio::cancellation_signal>> signals_;  // one per live task
  uint64_t next_id_ = 0;
  bool cancelled_ = false;
  boost::asio::steady_timer idle_;  // cancelled when the last task ends
};

}  // namespace prowl::node
