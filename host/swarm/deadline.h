// A one-shot timeout that runs an action (close a socket, reset a stream)
// unless disarmed first: the watchdog the upgrade and negotiation steps run under.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <functional>
#include <memory>

namespace prowl::swarm {

/// Not thread-safe: use it on the executor given at construction. The
/// action never runs after disarm() or destruction.
class Deadline {
 public:
  /// Runs `on_expiry` once `timeout` has passed.
  Deadline(const boost::asio::any_io_executor& executor, std::chrono::steady_clock::duration timeout,
           std::function<void()> on_expiry);
  ~Deadline();
  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;

  /// Cancels the action if it has not run yet.
  void disarm() noexcept;

  /// True once the action ran.
  bool expired() const noexcept { return state_->expired; }

 private:
  struct State {
    std::function<void()> action;
    bool expired = false;
  };
  boost::asio::steady_timer timer_;
  std::shared_ptr<State> state_;
};

}  // namespace prowl::swarm
