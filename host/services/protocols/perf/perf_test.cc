#include "host/services/protocols/perf/perf.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/endian/conversion.hpp>
#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <vector>

#include "host/testing/stream_pair_harness.h"

namespace prowl::protocols {
namespace {
namespace asio = boost::asio;
using swarm::Stream;

struct PerfTest : ::testing::Test, testing::StreamPairHarness {
  std::vector<PerfReport> reports;
  PerfTest() : StreamPairHarness(kPerfProtocol) {}
  std::function<void(const PerfReport&)> recorder() {
    return [this](const PerfReport& r) { reports.push_back(r); };
  }
};

TEST_F(PerfTest, MovesTheRequestedBytesBothWaysWithThePattern) {
  const uint64_t up = 3 * kPerfChunkBytes + 5, down = 2 * kPerfChunkBytes + 7;
  auto served = asio::co_spawn(io, serve_perf(*server), asio::use_future);
  PerfRequest request{.upload_bytes = up, .download_bytes = down, .check_pattern = true};
  auto result = asio::co_spawn(io, run_perf(*client, request, recorder()), asio::use_future);
  io.run();
  const PerfServed s = served.get();
  EXPECT_EQ(s.uploaded, up);
  EXPECT_EQ(s.sent, down);
  const PerfReport r = result.get();
  EXPECT_TRUE(r.final);
  EXPECT_EQ(r.upload_bytes, up);
  EXPECT_EQ(r.download_bytes, down);
  EXPECT_GT(r.seconds, 0);
  ASSERT_FALSE(reports.empty());
  EXPECT_TRUE(reports.back().final);
}

TEST_F(PerfTest, AnEmptyExchangeCompletes) {
  auto served = asio::co_spawn(io, serve_perf(*server), asio::use_future);
  auto result = asio::co_spawn(io, run_perf(*client, PerfRequest{}, recorder()), asio::use_future);
  io.run();
  EXPECT_EQ(served.get().sent, 0u);
  EXPECT_EQ(result.get().download_bytes, 0u);
}

TEST_F(PerfTest, ServerRefusesARequestOverItsLimit) {
  auto served = asio::co_spawn(io, serve_perf(*server, 1000), asio::use_future);
  PerfRequest request{.download_bytes = 1001};
  auto result = asio::co_spawn(io, run_perf(*client, request, recorder()), asio::use_future);
  io.run();
  EXPECT_THROW(served.get(), swarm::StreamError);
  EXPECT_THROW(result.get(), swarm::StreamError);
}

// A server that answers a request with `extra` more (or fewer) bytes than asked,
// or with zeros instead of the pattern.
asio::awaitable<void> faulty_server(Stream& s, int64_t extra, bool zeros) {
  std::array<uint8_t, 8> header;
  co_await s.read_exact(header);
  uint64_t requested;
  std::memcpy(&requested, header.data(), 8);
  boost::endian::big_to_native_inplace(requested);
  std::array<uint8_t, 64> sink;
  while (co_await s.read_some(sink) != 0) {
  }
  std::vector<uint8_t> body(static_cast<size_t>(static_cast<int64_t>(requested) + extra));
  for (size_t i = 0; i < body.size(); ++i) body[i] = zeros ? 0 : perf_pattern_byte(i);
  co_await s.write(body);
  co_await s.close_write();
}

TEST_F(PerfTest, ClientRejectsMoreBytesThanRequested) {
  asio::co_spawn(io, faulty_server(*server, 1, false), asio::use_future);
  auto result = asio::co_spawn(io, run_perf(*client, {.download_bytes = 100}, recorder()),
                               asio::use_future);
  io.run();
  EXPECT_THROW(result.get(), swarm::StreamError);
}

TEST_F(PerfTest, ClientRejectsFewerBytesThanRequested) {
  asio::co_spawn(io, faulty_server(*server, -1, false), asio::use_future);
  auto result = asio::co_spawn(io, run_perf(*client, {.download_bytes = 100}, recorder()),
                               asio::use_future);
  io.run();
  EXPECT_THROW(result.get(), swarm::StreamError);
}

TEST_F(PerfTest, PatternCheckCatchesOtherContentButCountingAcceptsIt) {
  asio::co_spawn(io, faulty_server(*server, 0, true), asio::use_future);
  PerfRequest request{.download_bytes = 100, .check_pattern = true};
  auto checked = asio::co_spawn(io, run_perf(*client, request, recorder()), asio::use_future);
  io.run();
  EXPECT_THROW(checked.get(), swarm::StreamError);

  testing::StreamPairHarness second(kPerfProtocol);
  asio::co_spawn(second.io, faulty_server(*second.server, 0, true), asio::use_future);
  auto counted = asio::co_spawn(second.io, run_perf(*second.client, {.download_bytes = 100}, recorder()),
                                asio::use_future);
  second.io.run();
  EXPECT_EQ(counted.get().download_bytes, 100u);
}

TEST_F(PerfTest, ServerRejectsATruncatedHeader) {
  auto served = asio::co_spawn(io, serve_perf(*server), asio::use_future);
  auto sender = asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        std::array<uint8_t, 3> partial{};
        co_await client->write(partial);
        co_await client->close_write();
      },
      asio::use_future);
  io.run();
  sender.get();
  EXPECT_THROW(served.get(), swarm::StreamError);
}

}  // namespace
}  // namespace prowl::protocols
