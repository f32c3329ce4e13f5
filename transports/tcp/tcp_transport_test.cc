#include "transports/tcp/tcp_transport.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/system/system_error.hpp>

#include <numeric>
#include <stdexcept>
#include <vector>

#include "host/base/multiaddr/protocol.h"

namespace prowl::transport {
namespace {

namespace asio = boost::asio;

multiaddr::Multiaddr addr(const char* text) { return *multiaddr::Multiaddr::parse(text); }

template <typename T>
T run(asio::io_context& io, asio::awaitable<T> task) {
  auto future = asio::co_spawn(io, std::move(task), asio::use_future);
  io.restart();
  io.run_for(std::chrono::seconds(5));
  return future.get();
}

TEST(TcpTransportTest, HandlesOnlyPlainTcpAddresses) {
  asio::io_context io;
  TcpTransport tcp(io.get_executor());
  EXPECT_TRUE(tcp.handles(addr("/ip4/127.0.0.1/tcp/1")));
  EXPECT_TRUE(tcp.handles(addr("/ip6/::1/tcp/1")));
  EXPECT_TRUE(tcp.handles(addr("/dns4/localhost/tcp/1/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA")));
  EXPECT_FALSE(tcp.handles(addr("/ip4/127.0.0.1/tcp/1/ws")));
  EXPECT_FALSE(tcp.handles(addr("/ip4/127.0.0.1/udp/1")));
}

asio::awaitable<std::vector<uint8_t>> echo_round_trip(TcpTransport& tcp, multiaddr::Multiaddr dial_address,
                                                      std::vector<uint8_t> payload) {
  auto listener = tcp.listen(addr("/ip4/127.0.0.1/tcp/0"));
  const auto port = listener->address().tcp_endpoint()->port;
  EXPECT_NE(port, 0);
  auto target = *multiaddr::Multiaddr::parse(dial_address.to_string() + "/tcp/" + std::to_string(port));
  auto client = co_await tcp.dial(target);
  auto server = co_await listener->accept();
  EXPECT_EQ(server->remote_address(), client->local_address());
  EXPECT_EQ(client->remote_address(), listener->address());
  co_await client->write_all(payload);
  client->close();
  std::vector<uint8_t> received;
  std::vector<uint8_t> buffer(7000);
  while (size_t n = co_await server->read_some(buffer)) received.insert(received.end(), buffer.begin(), buffer.begin() + static_cast<long>(n));
  co_return received;
}

TEST(TcpTransportTest, ListenOnPortZeroDialAndMoveBytesToEof) {
  asio::io_context io;
  TcpTransport tcp(io.get_executor());
  std::vector<uint8_t> payload(1 << 20);
  std::iota(payload.begin(), payload.end(), 0);
  EXPECT_EQ(run(io, echo_round_trip(tcp, addr("/ip4/127.0.0.1"), payload)), payload);
}

TEST(TcpTransportTest, DialsDnsNames) {
  asio::io_context io;
  TcpTransport tcp(io.get_executor());
  const std::vector<uint8_t> payload = {1, 2, 3};
  EXPECT_EQ(run(io, echo_round_trip(tcp, addr("/dns4/localhost"), payload)), payload);
}

TEST(TcpTransportTest, DialToClosedPortNamesTheAddress) {
  asio::io_context io;
  TcpTransport tcp(io.get_executor());
  auto task = [&]() -> asio::awaitable<std::string> {
    auto listener = tcp.listen(addr("/ip4/127.0.0.1/tcp/0"));
    const auto address = listener->address();
    listener->close();
    try {
      co_await tcp.dial(address);
    } catch (const std::runtime_error& e) {
      co_return e.what();
    }
    co_return "";
  };
  const std::string error = run(io, task());
  EXPECT_NE(error.find("/ip4/127.0.0.1/tcp/"), std::string::npos) << error;
  EXPECT_NE(error.find("refused"), std::string::npos) << error;
}

TEST(TcpTransportTest, ReadErrorsReadWithoutAsioInternals) {
  // An error_code from Asio carries the source location of the operation,
  // whose what() ends in Asio's internal type names; ours leaves it out.
  asio::io_context io;
  TcpTransport tcp(io.get_executor());
  auto task = [&]() -> asio::awaitable<std::string> {
    auto listener = tcp.listen(addr("/ip4/127.0.0.1/tcp/0"));
    auto client = co_await tcp.dial(listener->address());
    auto server = co_await listener->accept();
    client->close();
    std::vector<uint8_t> buffer(16);
    try {
      co_await client->read_some(buffer);
    } catch (const boost::system::system_error& e) {
      co_return std::string(e.what());
    }
    co_return std::string("no error");
  };
  const std::string what = run(io, task());
  EXPECT_EQ(what.rfind("tcp read: ", 0), 0u) << what;
  EXPECT_EQ(what.find(".hpp"), std::string::npos) << what;
  EXPECT_EQ(what.find("boost::asio"), std::string::npos) << what;
}

TEST(TcpTransportTest, ListenErrorsNameTheAddress) {
  asio::io_context io;
  TcpTransport tcp(io.get_executor());
  auto first = tcp.listen(addr("/ip4/127.0.0.1/tcp/0"));
  try {
    tcp.listen(first->address());
    FAIL() << "second bind to the same port succeeded";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(first->address().to_string()), std::string::npos) << e.what();
  }
  EXPECT_THROW(tcp.listen(addr("/dns4/localhost/tcp/0")), std::runtime_error);
}

}  // namespace
}  // namespace prowl::transport
