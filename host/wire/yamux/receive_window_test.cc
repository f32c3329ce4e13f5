#include "host/wire/yamux/receive_window.h"

#include <gtest/gtest.h>

namespace prowl::yamux {
namespace {

using Clock = ReceiveWindow::Clock;
using std::chrono::milliseconds;
constexpr uint32_t kW = 256 * 1024;

TEST(ReceiveWindow, RefusesDataBeyondCredit) {
  ReceiveWindow w(kW, kW, Clock::time_point{});
  EXPECT_TRUE(w.on_data(kW - 1));
  EXPECT_FALSE(w.on_data(2));
  EXPECT_EQ(w.credit(), 1u);
  EXPECT_TRUE(w.on_data(1));
  EXPECT_EQ(w.unconsumed(), kW);
}

TEST(ReceiveWindow, UpdatesOnlyAfterHalfTheWindowIsConsumed) {
  const Clock::time_point t0{};
  ReceiveWindow w(kW, kW, t0);
  ASSERT_TRUE(w.on_data(kW));
  w.consume(kW / 2 - 1);
  EXPECT_EQ(w.next_update(t0, std::nullopt, kW * 4, UINT64_MAX, false), 0u);
  w.consume(1);
  EXPECT_EQ(w.next_update(t0, std::nullopt, kW * 4, UINT64_MAX, false), kW / 2);
  EXPECT_EQ(w.credit(), kW / 2);
  EXPECT_EQ(w.window(), kW);  // no RTT known: no growth
}

TEST(ReceiveWindow, ForcedUpdateGrantsALargerInitialWindow) {
  ReceiveWindow w(kW, 4 * kW, Clock::time_point{});
  EXPECT_EQ(w.next_update(Clock::time_point{}, milliseconds(1), 8 * kW, UINT64_MAX, true), 3 * kW);
  EXPECT_EQ(w.window(), 4 * kW);
}

TEST(ReceiveWindow, DoublesWhenUpdatesComeWithinTwoRoundTrips) {
  const Clock::time_point t0{};
  ReceiveWindow w(kW, kW, t0);
  ASSERT_TRUE(w.on_data(kW));
  w.consume(kW);
  EXPECT_EQ(w.next_update(t0 + milliseconds(15), milliseconds(10), 4 * kW, UINT64_MAX, false),
            2 * kW);
  EXPECT_EQ(w.window(), 2 * kW);
  // Slow consumer: the next half window took far longer than two round trips.
  ASSERT_TRUE(w.on_data(2 * kW));
  w.consume(2 * kW);
  EXPECT_EQ(w.next_update(t0 + milliseconds(500), milliseconds(10), 4 * kW, UINT64_MAX, false),
            2 * kW);
  EXPECT_EQ(w.window(), 2 * kW);
}

TEST(ReceiveWindow, GrowthRespectsMaxWindowAndBudget) {
  const Clock::time_point t0{};
  ReceiveWindow w(kW, kW, t0);
  ASSERT_TRUE(w.on_data(kW));
  w.consume(kW);
  w.next_update(t0, milliseconds(10), kW + 1000, UINT64_MAX, false);
  EXPECT_EQ(w.window(), kW + 1000);
  ASSERT_TRUE(w.on_data(w.credit()));
  w.consume(UINT64_MAX);
  w.next_update(t0, milliseconds(10), 8 * kW, 10, false);
  EXPECT_EQ(w.window(), kW + 1010);
}

}  // namespace
}  // namespace prowl::yamux
