#include "transports/websocket/ws_transport.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <numeric>
#include <stdexcept>
#include <vector>

namespace prowl::transport {
namespace {

namespace asio = boost::asio;

multiaddr::Multiaddr addr(const char* text) { return *multiaddr::Multiaddr::parse(text); }

TEST(WebSocketTransportTest, HandlesOnlyWsAddresses) {
  asio::io_context io;
  WebSocketTransport ws(io.get_executor());
  EXPECT_TRUE(ws.handles(addr("/ip4/127.0.0.1/tcp/1/ws")));
  EXPECT_TRUE(ws.handles(addr("/dns4/localhost/tcp/1/ws")));
  EXPECT_FALSE(ws.handles(addr("/ip4/127.0.0.1/tcp/1")));
  EXPECT_FALSE(ws.handles(addr("/ip4/127.0.0.1/tcp/1/wss")));
  EXPECT_THROW(ws.listen(addr("/ip4/127.0.0.1/tcp/0")), std::runtime_error);
}

// Writes larger than one message and reads smaller than one: both directions,
// then a clean end of stream.
TEST(WebSocketTransportTest, MovesBytesBothWaysAcrossMessageBoundaries) {
  asio::io_context io;
  WebSocketTransport ws(io.get_executor());
  std::vector<uint8_t> payload(3 * WebSocketTransport::kMaxWriteMessageBytes + 17);
  std::iota(payload.begin(), payload.end(), 0);
  auto read_all = [](ByteStream& stream) -> asio::awaitable<std::vector<uint8_t>> {
    std::vector<uint8_t> received;
    std::vector<uint8_t> buffer(5000);
    while (size_t n = co_await stream.read_some(buffer))
      received.insert(received.end(), buffer.begin(), buffer.begin() + static_cast<long>(n));
    co_return received;
  };
  auto task = [&]() -> asio::awaitable<std::pair<std::vector<uint8_t>, std::vector<uint8_t>>> {
    auto listener = ws.listen(addr("/ip4/127.0.0.1/tcp/0/ws"));
    EXPECT_NE(listener->address().tcp_endpoint()->port, 0);
    EXPECT_TRUE(listener->address().is_websocket());
    auto client = co_await ws.dial(listener->address());
    auto server = co_await listener->accept();
    EXPECT_EQ(server->remote_address(), client->local_address());
    EXPECT_EQ(client->remote_address(), listener->address());
    co_await server->write_all(std::span(payload).first(10));
    std::vector<uint8_t> small(10);
    size_t got = 0;
    while (got < small.size()) got += co_await client->read_some(std::span(small).subspan(got));
    auto writer = [&]() -> asio::awaitable<void> {
      co_await client->write_all(payload);
      client->close();
    };
    asio::co_spawn(io, writer(), asio::detached);
    co_return std::make_pair(small, co_await read_all(*server));
  };
  auto future = asio::co_spawn(io, task(), asio::use_future);
  io.run_for(std::chrono::seconds(5));
  auto [small, big] = future.get();
  EXPECT_EQ(small, std::vector<uint8_t>(payload.begin(), payload.begin() + 10));
  EXPECT_EQ(big, payload);
}

TEST(WebSocketTransportTest, DialToClosedPortFails) {
  asio::io_context io;
  WebSocketTransport ws(io.get_executor());
  auto task = [&]() -> asio::awaitable<std::string> {
    auto listener = ws.listen(addr("/ip4/127.0.0.1/tcp/0/ws"));
    const auto address = listener->address();
    listener->close();
    try {
      co_await ws.dial(address);
    } catch (const std::runtime_error& e) {
      co_return e.what();
    }
    co_return "";
  };
  auto future = asio::co_spawn(io, task(), asio::use_future);
  io.run_for(std::chrono::seconds(5));
  const std::string error = future.get();
  EXPECT_NE(error.find("/ws: connect failed"), std::string::npos) << error;
}

}  // namespace
}  // namespace prowl::transport
