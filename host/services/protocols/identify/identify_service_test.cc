#include "host/services/protocols/identify/identify_service.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

#include <vector>

#include "host/base/encoding/varint.h"
#include "host/testing/stream_pair_harness.h"

namespace prowl::protocols {
namespace {
namespace asio = boost::asio;

struct IdentifyStream : ::testing::Test, testing::StreamPairHarness {
  IdentifyStream() : StreamPairHarness(kIdentifyProtocol) {}
};

TEST_F(IdentifyStream, ALengthPrefixedRecordCrossesAStream) {
  IdentifyRecord sent;
  sent.agent_version = "prowl/test";
  sent.protocols = {"/ipfs/ping/1.0.0"};
  sent.listen_addrs = {*multiaddr::Multiaddr::parse("/ip4/127.0.0.1/tcp/1/ws")};
  asio::co_spawn(io, write_identify(*client, sent), asio::use_future);
  auto got = asio::co_spawn(io, read_identify(*server), asio::use_future);
  io.run();
  const IdentifyRecord r = got.get();
  EXPECT_EQ(r.agent_version, sent.agent_version);
  EXPECT_EQ(r.protocols, sent.protocols);
  EXPECT_EQ(r.listen_addrs, sent.listen_addrs);
}

TEST_F(IdentifyStream, RefusesAnOversizedOrMissingMessage) {
  auto sender = asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        std::vector<uint8_t> prefix;
        encoding::append_varint(prefix, kMaxIdentifyBytes + 1);
        co_await client->write(prefix);
        co_await client->close_write();
      },
      asio::use_future);
  auto got = asio::co_spawn(io, read_identify(*server), asio::use_future);
  io.run();
  sender.get();
  EXPECT_THROW(got.get(), swarm::StreamError);

  testing::StreamPairHarness second(kIdentifyProtocol);
  asio::co_spawn(second.io, second.client->close_write(), asio::use_future);
  auto none = asio::co_spawn(second.io, read_identify(*second.server), asio::use_future);
  second.io.run();
  EXPECT_THROW(none.get(), swarm::StreamError);
}

TEST_F(IdentifyStream, RefusesAMessageAboveTheGivenLimitNamingIt) {
  IdentifyRecord sent;
  sent.agent_version = std::string(300, 'a');
  asio::co_spawn(io, write_identify(*client, sent), asio::use_future);
  auto got = asio::co_spawn(io, read_identify(*server, 256), asio::use_future);
  io.run();
  try {
    got.get();
    FAIL() << "expected a StreamError";
  } catch (const swarm::StreamError& e) {
    EXPECT_STREQ(e.what(), "stream /ipfs/id/1.0.0: message of 303 bytes exceeds the limit of 256");
  }
}

TEST_F(IdentifyStream, RefusesAMalformedMessage) {
  auto sender = asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        const std::vector<uint8_t> truncated_field{0x03, 0x32, 0x05, 'a'};
        co_await client->write(truncated_field);
      },
      asio::use_future);
  auto got = asio::co_spawn(io, read_identify(*server), asio::use_future);
  io.run();
  sender.get();
  EXPECT_THROW(got.get(), std::runtime_error);
}

}  // namespace
}  // namespace prowl::protocols
