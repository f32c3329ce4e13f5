// A wake-up signal for coroutines on one executor: waiters park on it until
// another coroutine on the same executor calls notify(). It replaces a
// condition variable in single-threaded Asio code.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cstddef>

namespace prowl::transport {

/// Not thread-safe: wait() and notify() run on the executor given at
/// construction. Waiters may wake spuriously and must re-check their
/// condition in a loop; a notify() with no waiter is not remembered.
class Notifier {
 public:
  explicit Notifier(boost::asio::any_io_executor executor);
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;

  /// Parks until notify() (or a spurious wake-up). Throws
  /// boost::system::system_error(operation_aborted) when the awaiting
  /// coroutine's cancellation slot fired.
  boost::asio::awaitable<void> wait();

  /// Wakes every current waiter.
  void notify() noexcept;

  /// Coroutines parked in wait() now.
  size_t waiters() const noexcept { return waiters_; }

 private:
  boost::asio::steady_timer timer_;
  size_t waiters_ = 0;
};

}  // namespace prowl::transport
