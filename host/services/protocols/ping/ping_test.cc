#include "host/services/protocols/ping/ping.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

#include <array>

#include "host/testing/stream_pair_harness.h"

namespace prowl::protocols {
namespace {
namespace asio = boost::asio;

struct PingTest : ::testing::Test, testing::StreamPairHarness {
  PingTest() : StreamPairHarness(kPingProtocol) {}
};

TEST_F(PingTest, EchoesEveryPingUntilTheClientCloses) {
  auto served = asio::co_spawn(io, serve_ping(*server), asio::use_future);
  auto rtts = asio::co_spawn(
      io,
      [&]() -> asio::awaitable<int> {
        PingClient ping(*client);
        int count = 0;
        for (int i = 0; i < 3; ++i) {
          const auto rtt = co_await ping.round_trip();
          if (rtt.count() > 0) ++count;
        }
        co_await ping.finish();
        co_return count;
      },
      asio::use_future);
  io.run();
  EXPECT_EQ(rtts.get(), 3);
  EXPECT_EQ(served.get(), 3u);
}

TEST_F(PingTest, ClientRejectsAWrongEcho) {
  auto liar = asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        std::array<uint8_t, kPingPayloadBytes> payload;
        co_await server->read_exact(payload);
        payload[7] ^= 1;
        co_await server->write(payload);
      },
      asio::use_future);
  auto result = asio::co_spawn(io, PingClient(*client).round_trip(), asio::use_future);
  io.run();
  liar.get();
  EXPECT_THROW(result.get(), swarm::StreamError);
}

TEST_F(PingTest, ServerRejectsATruncatedPayload) {
  auto served = asio::co_spawn(io, serve_ping(*server), asio::use_future);
  auto sender = asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        std::array<uint8_t, 10> partial{};
        co_await client->write(partial);
        co_await client->close_write();
      },
      asio::use_future);
  io.run();
  sender.get();
  EXPECT_THROW(served.get(), swarm::StreamError);
}

TEST_F(PingTest, ServerResetsAStreamThatPingsTooOften) {
  auto served = asio::co_spawn(io, serve_ping(*server, 2), asio::use_future);
  auto pinger = asio::co_spawn(
      io,
      [&]() -> asio::awaitable<int> {
        PingClient ping(*client);
        int ok = 0;
        try {
          for (int i = 0; i < 3; ++i) {
            co_await ping.round_trip();
            ++ok;
          }
        } catch (const swarm::StreamError&) {
        }
        co_return ok;
      },
      asio::use_future);
  io.run();
  EXPECT_EQ(pinger.get(), 2);
  EXPECT_THROW(served.get(), swarm::StreamError);
}

}  // namespace
}  // namespace prowl::protocols
