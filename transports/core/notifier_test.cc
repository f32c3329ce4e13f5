#include "transports/core/notifier.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

namespace prowl::transport {
namespace {

namespace asio = boost::asio;

TEST(NotifierTest, WakesEveryWaiter) {
  asio::io_context io;
  Notifier notifier(io.get_executor());
  int woken = 0;
  bool ready = false;
  auto waiter = [&]() -> asio::awaitable<void> {
    while (!ready) co_await notifier.wait();
    ++woken;
  };
  asio::co_spawn(io, waiter(), asio::detached);
  asio::co_spawn(io, waiter(), asio::detached);
  io.poll();
  EXPECT_EQ(notifier.waiters(), 2u);
  EXPECT_EQ(woken, 0);
  ready = true;
  notifier.notify();
  io.run();
  EXPECT_EQ(woken, 2);
  EXPECT_EQ(notifier.waiters(), 0u);
}

TEST(NotifierTest, NotifyWithoutWaiterIsNotRemembered) {
  asio::io_context io;
  Notifier notifier(io.get_executor());
  notifier.notify();
  bool woke = false;
  auto waiter = [&]() -> asio::awaitable<void> {  // named: the coroutine refers to it
    co_await notifier.wait();
    woke = true;
  };
  asio::co_spawn(io, waiter(), asio::detached);
  io.poll();
  EXPECT_FALSE(woke);
  notifier.notify();
  io.poll();
  EXPECT_TRUE(woke);
}

}  // namespace
}  // namespace prowl::transport
