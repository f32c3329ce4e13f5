#include "host/swarm/swarm.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <chrono>
#include <functional>
#include <future>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <type_traits>

#include "host/swarm/message_io.h"
#include "transports/memory/memory_transport.h"
#include "transports/tcp/tcp_transport.h"
#include "transports/websocket/ws_transport.h"

namespace prowl::swarm {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

enum class Kind { kMemory, kTcp, kWs };
const std::string kEcho = "/echo/1.0.0";

// GCC 12 mis-compiles braced lists inside co_await expressions, so lists are built first.
std::vector<std::string> ids(std::initializer_list<std::string> list) { return list; }

multiaddr::Multiaddr addr(const std::string& text) { return *multiaddr::Multiaddr::parse(text); }

// Echoes everything until the peer's FIN, then closes.
asio::awaitable<void> echo(std::shared_ptr<Stream> stream) {
  std::vector<uint8_t> buffer(32 * 1024);
  while (size_t n = co_await stream->read_some(buffer)) co_await stream->write(std::span(buffer).first(n));
  co_await stream->close_write();
}

asio::awaitable<std::vector<uint8_t>> read_all(Stream& stream) {
  std::vector<uint8_t> received;
  std::vector<uint8_t> buffer(16 * 1024);
  while (size_t n = co_await stream.read_some(buffer))
    received.insert(received.end(), buffer.begin(), buffer.begin() + static_cast<long>(n));
  co_return received;
}

std::vector<uint8_t> pattern(size_t n, uint8_t seed) {
  std::vector<uint8_t> data(n);
  std::iota(data.begin(), data.end(), seed);
  return data;
}

asio::awaitable<std::vector<uint8_t>> echo_round_trip(Swarm& swarm, identity::PeerId peer, std::vector<uint8_t> data) {
  const auto echo_id = ids({kEcho});
  auto stream = co_await swarm.open_stream(peer, echo_id);
  EXPECT_EQ(stream->protocol(), kEcho);
  EXPECT_EQ(stream->remote_peer(), peer);
  co_await stream->write(data);
  co_await stream->close_write();
  co_return co_await read_all(*stream);
}

class SwarmTest : public ::testing::TestWithParam<Kind> {
 protected:
  std::unique_ptr<Swarm> make(SwarmConfig config = {}) {
    auto swarm = std::make_unique<Swarm>(io_.get_executor(), identity::KeyPair::generate(), config);
    switch (GetParam()) {
      case Kind::kMemory:
        swarm->add_transport(std::make_unique<transport::MemoryTransport>(io_.get_executor(), network_));
        break;
      case Kind::kTcp:
        swarm->add_transport(std::make_unique<transport::TcpTransport>(io_.get_executor()));
        break;
      case Kind::kWs:
        swarm->add_transport(std::make_unique<transport::WebSocketTransport>(io_.get_executor()));
        break;
    }
    swarm->set_handler(kEcho, echo);
    return swarm;
  }

  multiaddr::Multiaddr listen(Swarm& swarm) {
    return run(swarm.listen(addr(GetParam() == Kind::kWs ? "/ip4/127.0.0.1/tcp/0/ws" : "/ip4/127.0.0.1/tcp/0")));
  }

  // Runs the loop until `task` finishes (the swarms' own loops never do).
  template <typename T>
  T run(asio::awaitable<T> task) {
    std::optional<std::conditional_t<std::is_void_v<T>, bool, T>> result;
    std::exception_ptr error;
    auto wrapper = [&]() -> asio::awaitable<void> {  // PeerId has no default constructor for use_future
      try {
        if constexpr (std::is_void_v<T>) {
          co_await std::move(task);
          result.emplace(true);
        } else {
          result.emplace(co_await std::move(task));
        }
      } catch (...) {
        error = std::current_exception();
      }
    };
    asio::co_spawn(io_, wrapper(), asio::detached);
    const auto deadline = std::chrono::steady_clock::now() + 8s;
    while (!result && !error && std::chrono::steady_clock::now() < deadline) {
      if (io_.stopped()) io_.restart();  // it stops whenever it runs out of work
      io_.run_one_for(10ms);
    }
    if (error) std::rethrow_exception(error);
    if (!result) throw std::runtime_error("test task timed out");
    if constexpr (!std::is_void_v<T>) return std::move(*result);
  }

  void run_for(std::chrono::milliseconds time) {
    const auto until = std::chrono::steady_clock::now() + time;
    while (std::chrono::steady_clock::now() < until) {
      if (io_.stopped()) io_.restart();
      io_.run_one_until(until);
    }
  }

  std::string dial_error(Swarm& swarm, const multiaddr::Multiaddr& address) {
    auto task = [&]() -> asio::awaitable<std::string> {
      try {
        co_await swarm.dial(address);
      } catch (const std::runtime_error& e) {
        co_return e.what();
      }
      co_return "";
    };
    return run(task());
  }

  asio::io_context io_;
  std::shared_ptr<transport::MemoryNetwork> network_ = std::make_shared<transport::MemoryNetwork>();
};

TEST_P(SwarmTest, DialEchoAndReuseTheConnection) {
  auto a = make();
  auto b = make();
  std::vector<std::pair<ConnectionInfo, bool>> seen;
  a->add_observer([&](const ConnectionInfo& info, bool established) { seen.emplace_back(info, established); });
  const auto address = listen(*b);
  EXPECT_EQ(address.peer_id_bytes(), b->local_peer().bytes());
  EXPECT_EQ(b->listen_addresses(), std::vector{address});
  EXPECT_EQ(run(a->dial(address)), b->local_peer());
  EXPECT_EQ(run(a->dial(address)), b->local_peer());  // reused
  EXPECT_EQ(run(a->dial(address.without_peer())), b->local_peer());  // no /p2p: still at most one connection
  run_for(50ms);
  ASSERT_EQ(a->connections().size(), 1u);
  ASSERT_EQ(b->connections().size(), 1u);
  EXPECT_TRUE(a->connections()[0].outbound);
  EXPECT_FALSE(b->connections()[0].outbound);
  EXPECT_EQ(b->connections()[0].peer, a->local_peer());
  EXPECT_EQ(a->connections()[0].remote_address, address.without_peer());
  ASSERT_FALSE(seen.empty());
  EXPECT_TRUE(seen[0].second);
  EXPECT_EQ(seen[0].first.peer, b->local_peer());

  const auto data = pattern(300000, 3);
  EXPECT_EQ(run(echo_round_trip(*a, b->local_peer(), data)), data);
  EXPECT_EQ(b->protocols(), std::vector<std::string>{kEcho});
}

TEST_P(SwarmTest, PeerIdMismatchIsRefused) {
  auto a = make();
  auto b = make();
  const auto other = identity::PeerId::from_public_key(identity::KeyPair::generate().public_key());
  const auto address = listen(*b);
  const auto wrong = *address.with_peer(other.bytes());
  const std::string error = dial_error(*a, wrong);
  EXPECT_NE(error.find("peer id mismatch: dialed " + other.to_string() + ", remote proved " +
                       b->local_peer().to_string()),
            std::string::npos)
      << error;
  EXPECT_TRUE(a->connections().empty());
  // The listener still serves the right dial.
  EXPECT_EQ(run(a->dial(address)), b->local_peer());
}

TEST_P(SwarmTest, HundredConcurrentStreamsOnOneConnection) {
  auto a = make();
  auto b = make();
  const auto peer = run(a->dial(listen(*b)));
  size_t done = 0;
  size_t good = 0;
  auto one = [&](uint8_t seed) -> asio::awaitable<void> {
    const auto data = pattern(64 * 1024 + seed, seed);
    if (co_await echo_round_trip(*a, peer, data) == data) ++good;
    ++done;
  };
  for (int i = 0; i < 100; ++i)
    asio::co_spawn(io_, one(static_cast<uint8_t>(i)), [](std::exception_ptr e) { if (e) std::rethrow_exception(e); });
  auto wait = [&]() -> asio::awaitable<void> {
    asio::steady_timer timer(io_);
    while (done < 100) {
      timer.expires_after(5ms);
      co_await timer.async_wait(asio::use_awaitable);
    }
  };
  run(wait());
  EXPECT_EQ(good, 100u);
  EXPECT_EQ(a->connections().size(), 1u);
}

TEST_P(SwarmTest, UnknownProtocolIsRefused) {
  auto a = make();
  auto b = make();
  const auto peer = run(a->dial(listen(*b)));
  auto task = [&]() -> asio::awaitable<std::string> {
    try {
      const auto nope = ids({"/nope/1.0.0", "/nope/2.0.0"});
      co_await a->open_stream(peer, nope);
    } catch (const StreamError& e) {
      co_return e.what();
    }
    co_return "";
  };
  const std::string error = run(task());
  EXPECT_NE(error.find("no protocol in common"), std::string::npos) << error;
  // Falls back to a later supported choice.
  auto second = [&]() -> asio::awaitable<std::string> {
    const auto choices = ids({"/nope/1.0.0", kEcho});
    auto stream = co_await a->open_stream(peer, choices);
    co_return stream->protocol();
  };
  EXPECT_EQ(run(second()), kEcho);
}

TEST_P(SwarmTest, ResetPropagatesBothWays) {
  auto a = make();
  auto b = make();
  std::string handler_saw;
  b->set_handler("/hold/1.0.0", [&](std::shared_ptr<Stream> stream) -> asio::awaitable<void> {
    std::vector<uint8_t> buffer(10);
    try {
      for (;;)
        if (co_await stream->read_some(buffer) == 0) break;
      handler_saw = "fin";
    } catch (const StreamError& e) {
      handler_saw = e.what();
    }
  });
  b->set_handler("/reset/1.0.0", [](std::shared_ptr<Stream> stream) -> asio::awaitable<void> {
    uint8_t byte = 0;
    co_await stream->read_exact(std::span(&byte, 1));
    stream->reset();
  });
  const auto peer = run(a->dial(listen(*b)));
  auto task = [&]() -> asio::awaitable<std::string> {
    const auto hold = ids({"/hold/1.0.0"});
    const auto reset_id = ids({"/reset/1.0.0"});
    auto held = co_await a->open_stream(peer, hold);
    const uint8_t byte = 1;
    co_await held->write(std::span(&byte, 1));
    held->reset();
    auto reset = co_await a->open_stream(peer, reset_id);
    co_await reset->write(std::span(&byte, 1));
    try {
      co_await read_all(*reset);
    } catch (const StreamError& e) {
      co_return e.what();
    }
    co_return "";
  };
  const std::string error = run(task());
  EXPECT_NE(error.find("reset by the peer"), std::string::npos) << error;
  run_for(50ms);
  EXPECT_NE(handler_saw.find("reset by the peer"), std::string::npos) << handler_saw;
}

TEST_P(SwarmTest, AnAnswerSentBeforeAResetIsStillRead) {
  // js-libp2p's kad-dht answers a request, then resets the stream when it
  // reads our FIN: the answer must not be lost to the reset behind it.
  auto a = make();
  auto b = make();
  b->set_handler("/answer-then-reset/1.0.0", [](std::shared_ptr<Stream> stream) -> asio::awaitable<void> {
    uint8_t byte = 0;
    co_await stream->read_exact(std::span(&byte, 1));
    const std::string answer = "answer";
    co_await stream->write(std::span(reinterpret_cast<const uint8_t*>(answer.data()), answer.size()));
    stream->reset();
  });
  const auto peer = run(a->dial(listen(*b)));
  auto task = [&]() -> asio::awaitable<std::pair<std::string, std::string>> {
    const auto protocol = ids({"/answer-then-reset/1.0.0"});
    auto stream = co_await a->open_stream(peer, protocol);
    const uint8_t byte = 1;
    co_await stream->write(std::span(&byte, 1));
    co_await stream->close_write();
    asio::steady_timer settle(co_await asio::this_coro::executor, 100ms);  // the answer and the reset both arrive
    co_await settle.async_wait(asio::use_awaitable);
    std::string read;
    std::vector<uint8_t> buffer(64);
    try {
      for (;;) {
        const size_t n = co_await stream->read_some(buffer);
        if (n == 0) co_return std::pair{read, std::string("fin")};
        read.append(buffer.begin(), buffer.begin() + static_cast<ptrdiff_t>(n));
      }
    } catch (const StreamError& e) {
      co_return std::pair{read, std::string(e.what())};
    }
  };
  const auto [read, error] = run(task());
  EXPECT_EQ(read, "answer");
  EXPECT_NE(error.find("reset by the peer"), std::string::npos) << error;
}

TEST_P(SwarmTest, ConnectionLimitRefusesTheNextPeer) {
  SwarmConfig limited;
  limited.max_connections = 1;
  auto a = make(limited);
  auto b = make(limited);
  auto c = make();
  const auto a_address = listen(*a);
  const auto b_address = listen(*b);
  EXPECT_EQ(run(a->dial(b_address)), b->local_peer());
  const std::string error = dial_error(*a, listen(*c));
  EXPECT_NE(error.find("connection limit of 1 reached"), std::string::npos) << error;
  // Inbound: b is full, so c's connection is dropped after its handshake.
  static_cast<void>(dial_error(*c, b_address));
  run_for(100ms);
  EXPECT_EQ(b->connections().size(), 1u);
  EXPECT_TRUE(c->connections().empty());
  static_cast<void>(a_address);
}

TEST_P(SwarmTest, IdleConnectionsCloseButBusyOnesStay) {
  SwarmConfig quick;
  quick.idle_timeout = 300ms;
  auto a = make(quick);
  auto b = make();
  const auto peer = run(a->dial(listen(*b)));
  std::shared_ptr<Stream> held = run(a->open_stream(peer, ids({kEcho})));
  run_for(500ms);
  EXPECT_EQ(a->connections().size(), 1u);  // a stream is open
  held.reset();
  run_for(700ms);
  EXPECT_TRUE(a->connections().empty());
  EXPECT_TRUE(b->connections().empty());
}

TEST_P(SwarmTest, GracefulShutdownClosesConnectionsAndListeners) {
  auto a = make();
  auto b = make();
  bool closed_seen = false;
  a->add_observer([&](const ConnectionInfo& info, bool established) {
    if (!established && info.peer == b->local_peer()) closed_seen = true;
  });
  const auto address = listen(*b);
  run(a->dial(address));
  run(b->shutdown());
  run_for(100ms);
  EXPECT_TRUE(closed_seen);
  EXPECT_TRUE(a->connections().empty());
  EXPECT_TRUE(b->connections().empty());
  EXPECT_TRUE(b->listen_addresses().empty());
  EXPECT_FALSE(dial_error(*a, address).empty());
}

TEST_P(SwarmTest, FailedDialsBackOff) {
  SwarmConfig config;
  config.dial_backoff_base = 200ms;
  auto a = make(config);
  auto b = make();
  const auto address = listen(*b);
  run(b->shutdown());
  EXPECT_FALSE(dial_error(*a, address).empty());
  EXPECT_NE(dial_error(*a, address).find("dial backoff"), std::string::npos);
}

TEST_P(SwarmTest, SimultaneousDialsSettleOnOneConnection) {
  auto a = make();
  auto b = make();
  const auto a_address = listen(*a);
  const auto b_address = listen(*b);
  auto both = [&]() -> asio::awaitable<void> {
    using namespace asio::experimental::awaitable_operators;
    co_await (a->dial(b_address) && b->dial(a_address));
  };
  run(both());
  run_for(200ms);
  ASSERT_EQ(a->connections().size(), 1u);
  ASSERT_EQ(b->connections().size(), 1u);
  EXPECT_NE(a->connections()[0].outbound, b->connections()[0].outbound);
  const auto data = pattern(1000, 1);
  EXPECT_EQ(run(echo_round_trip(*a, b->local_peer(), data)), data);
}

TEST_P(SwarmTest, LengthPrefixedMessages) {
  auto a = make();
  auto b = make();
  b->set_handler("/msg/1.0.0", [](std::shared_ptr<Stream> stream) -> asio::awaitable<void> {
    while (auto message = co_await read_message(*stream, 1000)) co_await write_message(*stream, *message);
    co_await stream->close_write();
  });
  const auto peer = run(a->dial(listen(*b)));
  auto task = [&]() -> asio::awaitable<std::string> {
    const auto msg = ids({"/msg/1.0.0"});
    auto stream = co_await a->open_stream(peer, msg);
    const auto first = pattern(1000, 9);
    co_await write_message(*stream, first);
    const std::vector<uint8_t> empty;
    co_await write_message(*stream, empty);
    EXPECT_EQ(co_await read_message(*stream, 1000), first);
    EXPECT_EQ(co_await read_message(*stream, 1000), empty);
    const auto five = pattern(5, 1);
    co_await write_message(*stream, five);
    try {
      co_await read_message(*stream, 4);
    } catch (const StreamError& e) {
      co_return e.what();
    }
    co_return "";
  };
  const std::string error = run(task());
  EXPECT_NE(error.find("message of 5 bytes exceeds the limit of 4"), std::string::npos) << error;
}

INSTANTIATE_TEST_SUITE_P(Transports, SwarmTest, ::testing::Values(Kind::kMemory, Kind::kTcp, Kind::kWs),
                         [](const auto& param_info) {
                           switch (param_info.param) {
                             case Kind::kMemory:
                               return "Memory";
                             case Kind::kTcp:
                               return "Tcp";
                             case Kind::kWs:
                               return "Ws";
                           }
                           return "Unknown";
                         });

}  // namespace
}  // namespace prowl::swarm
