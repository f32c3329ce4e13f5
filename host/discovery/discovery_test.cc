#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

#include "host/discovery/bootstrapper.h"
#include "host/discovery/mdns_dialer.h"
#include "host/identity/key_pair.h"
#include "host/swarm/swarm.h"
#include "transports/memory/memory_network.h"
#include "transports/memory/memory_transport.h"

namespace prowl::discovery {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

class DiscoveryTest : public ::testing::Test {
 protected:
  std::unique_ptr<swarm::Swarm> make_swarm(const identity::KeyPair& key) {
    auto s = std::make_unique<swarm::Swarm>(io_.get_executor(), key, swarm::SwarmConfig{});
    s->add_transport(std::make_unique<transport::MemoryTransport>(io_.get_executor(), network_));
    return s;
  }
  bool run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
      if (std::chrono::steady_clock::now() >= deadline) return false;
      if (io_.stopped()) io_.restart();
      io_.run_one_for(10ms);
    }
    return true;
  }
  multiaddr::Multiaddr listen(swarm::Swarm& s, const std::string& address) {
    std::optional<multiaddr::Multiaddr> bound;
    asio::co_spawn(io_, s.listen(*multiaddr::Multiaddr::parse(address)),
                   [&](std::exception_ptr e, multiaddr::Multiaddr a) {
                     if (!e) bound = a;
                   });
    EXPECT_TRUE(run_until([&] { return bound.has_value(); }, 5s));
    return *bound;
  }
  void shutdown(swarm::Swarm& s) {
    bool done = false;
    asio::co_spawn(io_, s.shutdown(), [&](std::exception_ptr) { done = true; });
    run_until([&] { return done; }, 5s);
  }

  asio::io_context io_;
  std::shared_ptr<transport::MemoryNetwork> network_ = std::make_shared<transport::MemoryNetwork>();
};

TEST_F(DiscoveryTest, BootstrapperRetriesWithBackoffAndReconnects) {
  const auto server_key = identity::KeyPair::generate();
  const auto server_id = identity::PeerId::from_public_key(server_key.public_key());
  auto client = make_swarm(identity::KeyPair::generate());
  const auto address = *multiaddr::Multiaddr::parse("/ip4/127.0.0.1/tcp/4555")->with_peer(server_id.bytes());
  int connects = 0;
  auto bootstrapper = Bootstrapper::create(io_.get_executor(), *client, {address}, BootstrapConfig{50ms, 200ms},
                                           [&](const identity::PeerId& peer, const multiaddr::Multiaddr& a) {
                                             EXPECT_EQ(peer, server_id);
                                             EXPECT_EQ(a, address.without_peer());
                                             ++connects;
                                           });
  bootstrapper->start();
  // Nothing listens yet: the dials fail and are retried.
  run_until([] { return false; }, 300ms);
  EXPECT_EQ(bootstrapper->connected(), 0u);

  auto server = make_swarm(server_key);
  listen(*server, "/ip4/127.0.0.1/tcp/4555");
  EXPECT_TRUE(run_until([&] { return connects == 1; }, 5s));
  EXPECT_EQ(bootstrapper->connected(), 1u);

  // The peer goes away and comes back: the bootstrapper dials it again.
  shutdown(*server);
  server = make_swarm(server_key);
  listen(*server, "/ip4/127.0.0.1/tcp/4555");
  EXPECT_TRUE(run_until([&] { return connects == 2; }, 5s));

  bootstrapper->stop();
  shutdown(*client);
  shutdown(*server);
}

TEST_F(DiscoveryTest, MdnsDialerConnectsOnceAndRespectsTheConnectionLimit) {
  auto a = make_swarm(identity::KeyPair::generate());
  auto b = make_swarm(identity::KeyPair::generate());
  auto c = make_swarm(identity::KeyPair::generate());
  const auto b_address = listen(*b, "/ip4/127.0.0.1/tcp/0");
  const auto c_address = listen(*c, "/ip4/127.0.0.1/tcp/0");
  int connected = 0;
  auto dialer = MdnsDialer::create(io_.get_executor(), *a, MdnsDialLimits{1, 8},
                                   [&](const identity::PeerId&, const std::vector<multiaddr::Multiaddr>&) {
                                     ++connected;
                                   });
  EXPECT_TRUE(dialer->on_peer(b->local_peer(), {b_address.without_peer()}));
  EXPECT_FALSE(dialer->on_peer(b->local_peer(), {b_address.without_peer()}));  // already pending
  EXPECT_TRUE(run_until([&] { return connected == 1; }, 5s));
  EXPECT_FALSE(dialer->on_peer(b->local_peer(), {b_address.without_peer()}));  // already connected
  EXPECT_FALSE(dialer->on_peer(c->local_peer(), {c_address.without_peer()}));  // at max_connections
  EXPECT_FALSE(dialer->on_peer(a->local_peer(), {b_address.without_peer()}));  // ourselves
  EXPECT_EQ(a->connections().size(), 1u);
  dialer->stop();
  shutdown(*a);
  shutdown(*b);
  shutdown(*c);
}

}  // namespace
}  // namespace prowl::discovery
