#include "transports/core/notifier.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>

namespace prowl::transport {

Notifier::Notifier(boost::asio::any_io_executor executor) : timer_(std::move(executor)) {}

boost::asio::awaitable<void> Notifier::wait() {
  // Re-arming would cancel the waits already parked, so only the first waiter arms.
  if (waiters_ == 0) timer_.expires_at(boost::asio::steady_timer::time_point::max());
  ++waiters_;
  co_await timer_.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
  --waiters_;
  const auto state = co_await boost::asio::this_coro::cancellation_state;
  if (state.cancelled() != boost::asio::cancellation_type::none)
    throw boost::system::system_error(boost::asio::error::operation_aborted);
}

void Notifier::notify() noexcept {
  if (waiters_ > 0) timer_.cancel();
}

}  // namespace prowl::transport
