#include "host/swarm/deadline.h"

namespace prowl::swarm {

Deadline::Deadline(const boost::asio::any_io_executor& executor, std::chrono::steady_clock::duration timeout,
                   std::function<void()> on_expiry)
    : timer_(executor, timeout), state_(std::make_shared<State>(State{std::move(on_expiry)})) {
  // The handler owns the state, so a completion already queued when the
  // Deadline goes away finds the action cleared instead of a dangling one.
  timer_.async_wait([state = state_](const boost::system::error_code& ec) {
    if (ec || !state->action) return;
    state->expired = true;
    auto action = std::move(state->action);
    state->action = nullptr;
    action();
  });
}

Deadline::~Deadline() { disarm(); }

void Deadline::disarm() noexcept {
  state_->action = nullptr;
  timer_.cancel();
}

}  // namespace prowl::swarm
