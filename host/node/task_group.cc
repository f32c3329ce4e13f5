#include "host/node/task_group.h"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <utility>
#include <vector>

namespace prowl::node {
namespace asio = boost::asio;

TaskGroup::TaskGroup(asio::any_io_executor executor) : executor_(executor), idle_(executor) {}

void TaskGroup::spawn(asio::awaitable<void> task, std::function<void(std::exception_ptr)> on_done) {
  if (cancelled_) return;
  const uint64_t id = next_id_++;
  auto signal = std::make_shared<asio::cancellation_signal>();
  signals_.emplace(id, signal);
  // The handler keeps the signal alive while the coroutine, bound to its slot, finishes.
  asio::co_spawn(executor_, std::move(task),
                 asio::bind_cancellation_slot(
                     signal->slot(), [this, id, signal, on_done = std::move(on_done)](std::exception_ptr error) {
                       signals_.erase(id);
                       if (on_done) on_done(error);
                       if (signals_.empty()) idle_.cancel();
                     }));
}

void TaskGroup::cancel() {
  cancelled_ = true;
  // Copied first: a task may end (and leave the map) inside emit.
  std::vector<std::shared_ptr<asio::cancellation_signal>> running;
  for (const auto& [id, signal] : signals_) running.push_back(signal);
  for (const auto& signal : running) signal->emit(asio::cancellation_type::terminal);
}

asio::awaitable<void> TaskGroup::join() {
  while (!signals_.empty()) {
    idle_.expires_at(asio::steady_timer::time_point::max());
    boost::system::error_code ignored;
    co_await idle_.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
}

}  // namespace prowl::node
