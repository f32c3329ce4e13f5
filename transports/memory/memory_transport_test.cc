#include "transports/memory/memory_transport.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/system/system_error.hpp>

#include <numeric>
#include <stdexcept>
#include <vector>

#include "transports/memory/memory_pipe.h"

namespace prowl::transport {
namespace {

namespace asio = boost::asio;

multiaddr::Multiaddr addr(const char* text) { return *multiaddr::Multiaddr::parse(text); }

TEST(MemoryTransportTest, ListenDialAndMoveBytesToEof) {
  asio::io_context io;
  auto network = std::make_shared<MemoryNetwork>(4096);
  MemoryTransport a(io.get_executor(), network);
  MemoryTransport b(io.get_executor(), network);
  std::vector<uint8_t> payload(100000);
  std::iota(payload.begin(), payload.end(), 0);
  auto task = [&]() -> asio::awaitable<std::vector<uint8_t>> {
    auto listener = b.listen(addr("/ip4/127.0.0.1/tcp/0"));
    EXPECT_NE(listener->address().tcp_endpoint()->port, 0);
    EXPECT_TRUE(a.handles(listener->address()));
    auto client = co_await a.dial(listener->address());
    auto server = co_await listener->accept();
    EXPECT_EQ(server->remote_address(), client->local_address());
    EXPECT_EQ(client->remote_address(), listener->address());
    auto writer = [&]() -> asio::awaitable<void> {
      co_await client->write_all(payload);
      client->close();
    };
    asio::co_spawn(io, writer(), asio::detached);
    std::vector<uint8_t> received;
    std::vector<uint8_t> buffer(3000);
    while (size_t n = co_await server->read_some(buffer))
      received.insert(received.end(), buffer.begin(), buffer.begin() + static_cast<long>(n));
    co_return received;
  };
  auto future = asio::co_spawn(io, task(), asio::use_future);
  io.run_for(std::chrono::seconds(5));
  EXPECT_EQ(future.get(), payload);
}

TEST(MemoryTransportTest, WriterWaitsWhileThePipeIsFull) {
  asio::io_context io;
  MemoryPipe pipe(io.get_executor(), io.get_executor(), 1000);
  std::vector<uint8_t> data(2500, 7);
  bool written = false;
  auto writer = [&]() -> asio::awaitable<void> {
    co_await pipe.write(data);
    written = true;
  };
  asio::co_spawn(io, writer(), asio::detached);
  io.poll();
  EXPECT_FALSE(written);
  EXPECT_EQ(pipe.buffered(), 1000u);
  std::vector<uint8_t> buffer(600);
  size_t total = 0;
  auto reader = [&]() -> asio::awaitable<void> {
    while (total < data.size()) {
      total += co_await pipe.read(buffer);
      EXPECT_LE(pipe.buffered(), 1000u);
    }
  };
  asio::co_spawn(io, reader(), asio::detached);
  io.run_for(std::chrono::seconds(5));
  EXPECT_TRUE(written);
  EXPECT_EQ(total, data.size());
}

TEST(MemoryTransportTest, ClosingOneEndFailsThePeersWrites) {
  asio::io_context io;
  auto network = std::make_shared<MemoryNetwork>();
  MemoryTransport t(io.get_executor(), network);
  auto task = [&]() -> asio::awaitable<std::string> {
    auto listener = t.listen(addr("/ip4/127.0.0.1/tcp/0"));
    auto client = co_await t.dial(listener->address());
    auto server = co_await listener->accept();
    server->close();
    uint8_t byte = 1;
    try {
      co_await client->write_all({&byte, 1});
    } catch (const boost::system::system_error& e) {
      co_return e.code() == asio::error::broken_pipe ? "broken pipe" : e.what();
    }
    co_return "no error";
  };
  auto future = asio::co_spawn(io, task(), asio::use_future);
  io.run_for(std::chrono::seconds(5));
  EXPECT_EQ(future.get(), "broken pipe");
}

TEST(MemoryTransportTest, RefusesDialsWithoutListenerAndDoubleBinds) {
  asio::io_context io;
  auto network = std::make_shared<MemoryNetwork>();
  MemoryTransport t(io.get_executor(), network);
  auto listener = t.listen(addr("/ip4/127.0.0.1/tcp/4001"));
  EXPECT_EQ(listener->address(), addr("/ip4/127.0.0.1/tcp/4001"));
  EXPECT_THROW(t.listen(addr("/ip4/127.0.0.1/tcp/4001")), std::runtime_error);
  listener->close();
  auto task = [&]() -> asio::awaitable<std::string> {
    try {
      co_await t.dial(addr("/ip4/127.0.0.1/tcp/4001"));
    } catch (const std::runtime_error& e) {
      co_return e.what();
    }
    co_return "";
  };
  auto future = asio::co_spawn(io, task(), asio::use_future);
  io.run_for(std::chrono::seconds(5));
  EXPECT_EQ(future.get(), "/ip4/127.0.0.1/tcp/4001: connection refused");
  EXPECT_FALSE(t.handles(addr("/ip4/127.0.0.1/tcp/1/ws")));
  EXPECT_FALSE(t.handles(addr("/dns4/localhost/tcp/1")));
}

}  // namespace
}  // namespace prowl::transport
