#include "host/node/node.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <chrono>
#include <functional>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "host/node/task_group.h"
#include "host/wire/kad/signed_value.h"
#include "transports/memory/memory_network.h"

namespace prowl::node {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

std::vector<uint8_t> bytes(const std::string& text) { return {text.begin(), text.end()}; }

// Polls `done` every 10 ms; throws after `limit`.
asio::awaitable<void> wait_until(const std::function<bool()>& done, const char* what,
                                 std::chrono::milliseconds limit = 10s) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error(std::string("timed out: ") + what);
    timer.expires_after(10ms);
    co_await timer.async_wait(asio::use_awaitable);
  }
}

// A listening node on `network` that serves the DHT (in memory) and joins `topic`.
NodeConfig memory_node(const std::shared_ptr<transport::MemoryNetwork>& network, const std::string& topic) {
  NodeConfig config(identity::KeyPair::generate());
  config.memory_network = network;
  config.listen.push_back(*multiaddr::Multiaddr::parse("/ip4/127.0.0.1/tcp/0"));
  config.network.identify_on_connect = true;
  config.pubsub.topics.push_back(topic);
  config.pubsub.service.router.heartbeat_interval = 100ms;
  config.dht.service.maintenance_interval = 200ms;
  return config;
}

// Runs `io` until it has no work left; fails the test if work remains after `limit`.
void run_until_out_of_work(asio::io_context& io, std::chrono::seconds limit = 30s) {
  io.run_for(limit);
  EXPECT_TRUE(io.stopped()) << "work was left on the io_context after " << limit.count() << " s";
}

TEST(NodeTest, TwoNodesConnectIdentifyShareTheDhtAndGossipThenStopJoinsEverything) {
  asio::io_context io;
  auto network = std::make_shared<transport::MemoryNetwork>();
  const std::string topic = "pack-news";

  std::set<std::string> identified_by_a;
  std::set<std::string> identified_by_b;
  std::vector<std::string> heard_by_a;
  NodeConfig a_config = memory_node(network, topic);
  a_config.network.on_identified = [&](const identity::PeerId& peer, const protocols::IdentifyRecord& record) {
    identified_by_a.insert(peer.to_string());
    EXPECT_EQ(record.agent_version.value_or(""), agent_version());
  };
  a_config.pubsub.on_message = [&](const pubsub::Message& m) { heard_by_a.emplace_back(m.data.begin(), m.data.end()); };
  Node a(io.get_executor(), a_config);
  NodeConfig b_config = memory_node(network, topic);
  b_config.network.on_identified = [&](const identity::PeerId& peer, const protocols::IdentifyRecord&) {
    identified_by_b.insert(peer.to_string());
  };
  const identity::KeyPair b_key = b_config.key;
  std::optional<Node> b;  // built once a's address is known: b bootstraps through it

  bool finished = false;
  size_t live_after_stop = 1;
  std::vector<uint8_t> got;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        const std::vector<multiaddr::Multiaddr> a_addresses = co_await a.start();
        EXPECT_EQ(a_addresses.size(), 1u);
        b_config.dht.bootstrap = a_addresses;
        b.emplace(io.get_executor(), b_config);
        co_await b->start();

        // Connected through b's bootstrap peer, and identified both ways.
        co_await wait_until([&] { return identified_by_a.count(b->peer_id().to_string()) == 1; }, "a identifies b");
        co_await wait_until([&] { return identified_by_b.count(a.peer_id().to_string()) == 1; }, "b identifies a");
        EXPECT_TRUE(a.peers().find(b->peer_id()).has_value());
        EXPECT_TRUE(a.peers().certified(b->peer_id()).has_value());  // what peer exchange passes on

        // DHT: b's rejoin put a in its table; a value b puts is read from a.
        co_await wait_until([&] { return b->dht()->routing_table().size() == 1; }, "b's routing table has a");
        const auto record_key = kad::SignedValue::record_key(b->peer_id(), "greeting");
        const auto value = kad::SignedValue::sign(b_key, record_key, bytes("hello pack"), 1).encode();
        EXPECT_GE(co_await b->dht()->put_value(record_key, value), 1u);
        got = co_await a.dht()->get_value(record_key);

        // Gossipsub: b publishes once a's subscription reached it; a's handler hears it.
        co_await wait_until(
            [&] {
              const auto peers = b->pubsub()->router().topic_peers(topic);
              return std::find(peers.begin(), peers.end(), a.peer_id()) != peers.end();
            },
            "b learns a's subscription");
        EXPECT_TRUE(b->pubsub()->publish(topic, bytes("howl")).has_value());
        co_await wait_until([&] { return !heard_by_a.empty(); }, "a hears b's message");

        co_await b->stop();
        co_await a.stop();
        live_after_stop = a.live_tasks() + b->live_tasks();
        finished = true;
      },
      [](std::exception_ptr e) {
        if (e) std::rethrow_exception(e);
      });
  run_until_out_of_work(io);
  ASSERT_TRUE(finished);
  EXPECT_EQ(live_after_stop, 0u);
  EXPECT_EQ(a.dht(), nullptr);
  EXPECT_EQ(a.pubsub(), nullptr);
  const auto decoded = kad::SignedValue::decode(got);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->value(), bytes("hello pack"));
  EXPECT_EQ(heard_by_a, std::vector<std::string>{"howl"});
}

TEST(NodeTest, AClientNodeDialsWithoutListeningAndStopsCleanly) {
  asio::io_context io;
  auto network = std::make_shared<transport::MemoryNetwork>();
  Node server(io.get_executor(), memory_node(network, "t"));
  NodeConfig client_config(identity::KeyPair::generate());
  client_config.mode = NodeMode::kClient;
  client_config.memory_network = network;
  client_config.listen.push_back(*multiaddr::Multiaddr::parse("/ip4/127.0.0.1/tcp/9"));  // ignored: a client listens nowhere
  client_config.dht.service.server = false;
  client_config.pubsub.enabled = false;
  Node client(io.get_executor(), client_config);
  bool finished = false;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        const auto address = (co_await server.start()).at(0);
        EXPECT_TRUE((co_await client.start()).empty());
        EXPECT_TRUE(client.swarm().listen_addresses().empty());
        EXPECT_EQ(client.pubsub(), nullptr);
        EXPECT_NE(client.dht(), nullptr);
        EXPECT_EQ(co_await client.swarm().dial(address), server.peer_id());
        const auto record = co_await client.identify().identify(server.peer_id());
        EXPECT_NE(std::find(record.protocols.begin(), record.protocols.end(), client.config().dht.service.protocol),
                  record.protocols.end());
        co_await client.stop();
        co_await client.stop();  // idempotent
        co_await server.stop();
        finished = true;
      },
      [](std::exception_ptr e) {
        if (e) std::rethrow_exception(e);
      });
  run_until_out_of_work(io);
  EXPECT_TRUE(finished);
}

TEST(NodeTest, AFailedStartNamesTheAddressAndLeavesNothingRunning) {
  asio::io_context io;
  auto network = std::make_shared<transport::MemoryNetwork>();
  NodeConfig first_config = memory_node(network, "t");
  first_config.listen.at(0) = *multiaddr::Multiaddr::parse("/ip4/127.0.0.1/tcp/4100");
  Node first(io.get_executor(), first_config);
  NodeConfig second_config = memory_node(network, "t");
  second_config.listen = first_config.listen;
  Node second(io.get_executor(), second_config);
  std::string failure;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        co_await first.start();
        try {
          co_await second.start();
        } catch (const std::exception& e) {
          failure = e.what();
        }
        co_await second.stop();  // after a failed start: nothing to do
        co_await first.stop();
      },
      [](std::exception_ptr e) {
        if (e) std::rethrow_exception(e);
      });
  run_until_out_of_work(io);
  EXPECT_NE(failure.find("/ip4/127.0.0.1/tcp/4100"), std::string::npos) << failure;
  EXPECT_EQ(second.dht(), nullptr);
  EXPECT_EQ(second.live_tasks(), 0u);
}

TEST(NodeTest, AnOfflineNodeHasNoNetwork) {
  asio::io_context io;
  NodeConfig config(identity::KeyPair::generate());
  config.mode = NodeMode::kOffline;
  Node node(io.get_executor(), config);
  bool started = false;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        EXPECT_TRUE((co_await node.start()).empty());
        started = true;
        EXPECT_EQ(node.dht(), nullptr);
        EXPECT_EQ(node.pubsub(), nullptr);
        co_await node.stop();
      },
      [](std::exception_ptr e) {
        if (e) std::rethrow_exception(e);
      });
  run_until_out_of_work(io, 5s);
  EXPECT_TRUE(started);
}

TEST(TaskGroupTest, CancelEndsWaitingTasksAndJoinWaitsForTheLast) {
  asio::io_context io;
  TaskGroup tasks(io.get_executor());
  int ended = 0;
  int failed = 0;
  const auto sleeper = [](std::chrono::milliseconds time) -> asio::awaitable<void> {
    asio::steady_timer timer(co_await asio::this_coro::executor, time);
    co_await timer.async_wait(asio::use_awaitable);
  };
  const auto count = [&](std::exception_ptr e) {
    ++ended;
    failed += e ? 1 : 0;
  };
  tasks.spawn(sleeper(1h), count);
  tasks.spawn(sleeper(1h), count);
  tasks.spawn(sleeper(20ms), count);
  EXPECT_EQ(tasks.live(), 3u);
  bool joined = false;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        asio::steady_timer timer(co_await asio::this_coro::executor, 50ms);
        co_await timer.async_wait(asio::use_awaitable);
        EXPECT_EQ(tasks.live(), 2u);  // the short one ended by itself
        tasks.cancel();
        tasks.spawn(sleeper(1h), count);  // refused once cancelled
        co_await tasks.join();
        joined = true;
      },
      [](std::exception_ptr e) {
        if (e) std::rethrow_exception(e);
      });
  run_until_out_of_work(io, 5s);
  EXPECT_TRUE(joined);
  EXPECT_EQ(tasks.live(), 0u);
  EXPECT_EQ(ended, 3);
  EXPECT_EQ(failed, 2);  // the cancelled ones end with operation_aborted
}

}  // namespace
}  // namespace prowl::node
