#include "host/protocols/identify/identify_service.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

#include <array>

#include "host/encoding/varint.h"
#include "host/identity/key_pair.h"
#include "host/protocols/memory_stream_pair.h"

namespace prowl::protocols {
namespace {
namespace asio = boost::asio;

identity::PeerId peer(uint8_t seed_byte) {
  std::array<uint8_t, 32> seed{};
  seed.fill(seed_byte);
  return identity::PeerId::from_public_key(identity::KeyPair::from_seed(seed).public_key());
}

TEST(IdentifyStream, ALengthPrefixedRecordCrossesAStream) {
  asio::io_context io;
  auto [a, b] = testing::memory_stream_pair(io.get_executor(), std::string(kIdentifyProtocol), peer(1), peer(2));
  IdentifyRecord sent;
  sent.agent_version = "prowl/test";
  sent.protocols = {"/ipfs/ping/1.0.0"};
  sent.listen_addrs = {*multiaddr::Multiaddr::parse("/ip4/127.0.0.1/tcp/1/ws")};
  asio::co_spawn(io, write_identify(*a, sent), asio::use_future);
  auto got = asio::co_spawn(io, read_identify(*b), asio::use_future);
  io.run();
  const IdentifyRecord r = got.get();
  EXPECT_EQ(r.agent_version, sent.agent_version);
  EXPECT_EQ(r.protocols, sent.protocols);
  EXPECT_EQ(r.listen_addrs, sent.listen_addrs);
}

TEST(IdentifyStream, RefusesAnOversizedOrMissingMessage) {
  asio::io_context io;
  auto [a, b] = testing::memory_stream_pair(io.get_executor(), std::string(kIdentifyProtocol), peer(1), peer(2));
  auto sender = asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        std::vector<uint8_t> prefix;
        encoding::append_varint(prefix, kMaxIdentifyBytes + 1);
        co_await a->write(prefix);
        co_await a->close_write();
      },
      asio::use_future);
  auto got = asio::co_spawn(io, read_identify(*b), asio::use_future);
  io.run();
  sender.get();
  EXPECT_THROW(got.get(), swarm::StreamError);

  asio::io_context io2;
  auto [c, d] = testing::memory_stream_pair(io2.get_executor(), std::string(kIdentifyProtocol), peer(1), peer(2));
  asio::co_spawn(io2, c->close_write(), asio::use_future);
  auto none = asio::co_spawn(io2, read_identify(*d), asio::use_future);
  io2.run();
  EXPECT_THROW(none.get(), swarm::StreamError);
}

TEST(IdentifyStream, RefusesAMalformedMessage) {
  asio::io_context io;
  auto [a, b] = testing::memory_stream_pair(io.get_executor(), std::string(kIdentifyProtocol), peer(1), peer(2));
  auto sender = asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        const std::vector<uint8_t> truncated_field{0x03, 0x32, 0x05, 'a'};
        co_await a->write(truncated_field);
      },
      asio::use_future);
  auto got = asio::co_spawn(io, read_identify(*b), asio::use_future);
  io.run();
  sender.get();
  EXPECT_THROW(got.get(), std::runtime_error);
}

}  // namespace
}  // namespace prowl::protocols
