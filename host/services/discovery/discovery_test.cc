#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <vector>

#include "host/services/discovery/bootstrapper.h"
#include "host/services/discovery/mdns_dialer.h"
#include "host/base/identity/key_pair.h"
#include "host/base/status/status.h"
#include "host/testing/memory_swarms.h"

namespace prowl::discovery {
namespace {

using namespace std::chrono_literals;

class DiscoveryTest : public ::testing::Test {
 protected:
  test_support::MemorySwarms net_;
};

TEST(BootstrapAddresses, ParseEachOrNameTheSourceAndTheText) {
  const auto peers = parse_bootstrap_addresses(
      {"/ip4/127.0.0.1/tcp/1", "/ip4/127.0.0.1/tcp/2/p2p/12D3KooWQ5znhepb3bzPE42gCbrrYqjKZnEomGGxy1MhBbosHLht"},
      "--bootstrap");
  ASSERT_EQ(peers.size(), 2u);
  EXPECT_EQ(peers[0].to_string(), "/ip4/127.0.0.1/tcp/1");
  EXPECT_TRUE(parse_bootstrap_addresses({}, "network.bootstrap").empty());
  try {
    parse_bootstrap_addresses({"/ip4/127.0.0.1/tcp/1", "/ip4/1.2.3"}, "network.bootstrap");
    FAIL() << "a bad address was accepted";
  } catch (const StatusError& e) {
    EXPECT_EQ(e.status().code(), StatusCode::kInvalidInput);
    EXPECT_STREQ(e.what(), "network.bootstrap: /ip4/1.2.3: invalid IPv4 address '1.2.3'");
  }
  EXPECT_EQ(bootstrap_address_error("/ip4/1.2.3"), "/ip4/1.2.3: invalid IPv4 address '1.2.3'");
  EXPECT_EQ(bootstrap_address_error("/ip4/127.0.0.1/tcp/1"), "");
}

TEST_F(DiscoveryTest, BootstrapperRetriesWithBackoffAndReconnects) {
  const auto server_key = identity::KeyPair::generate();
  const auto server_id = identity::PeerId::from_public_key(server_key.public_key());
  auto client = net_.make_swarm(identity::KeyPair::generate());
  const auto address = *multiaddr::Multiaddr::parse("/ip4/127.0.0.1/tcp/4555")->with_peer(server_id.bytes());
  int connects = 0;
  auto bootstrapper = Bootstrapper::create(net_.io().get_executor(), *client, {address}, BootstrapConfig{50ms, 200ms},
                                           [&](const identity::PeerId& peer, const multiaddr::Multiaddr& a) {
                                             EXPECT_EQ(peer, server_id);
                                             EXPECT_EQ(a, address.without_peer());
                                             ++connects;
                                           });
  bootstrapper->start();
  // Nothing listens yet: the dials fail and are retried.
  net_.run_until([] { return false; }, 300ms);
  EXPECT_EQ(bootstrapper->connected(), 0u);

  auto server = net_.make_swarm(server_key);
  net_.listen(*server, "/ip4/127.0.0.1/tcp/4555");
  EXPECT_TRUE(net_.run_until([&] { return connects == 1; }, 5s));
  EXPECT_EQ(bootstrapper->connected(), 1u);

  // The peer goes away and comes back: the bootstrapper dials it again.
  net_.shutdown(*server);
  server = net_.make_swarm(server_key);
  net_.listen(*server, "/ip4/127.0.0.1/tcp/4555");
  EXPECT_TRUE(net_.run_until([&] { return connects == 2; }, 5s));

  bootstrapper->stop();
  net_.shutdown(*client);
  net_.shutdown(*server);
}

TEST_F(DiscoveryTest, MdnsDialerConnectsOnceAndRespectsTheConnectionLimit) {
  auto a = net_.make_swarm(identity::KeyPair::generate());
  auto b = net_.make_swarm(identity::KeyPair::generate());
  auto c = net_.make_swarm(identity::KeyPair::generate());
  const auto b_address = net_.listen(*b, "/ip4/127.0.0.1/tcp/0");
  const auto c_address = net_.listen(*c, "/ip4/127.0.0.1/tcp/0");
  int connected = 0;
  auto dialer = MdnsDialer::create(net_.io().get_executor(), *a, MdnsDialLimits{1, 8},
                                   [&](const identity::PeerId&, const std::vector<multiaddr::Multiaddr>&) {
                                     ++connected;
                                   });
  EXPECT_TRUE(dialer->on_peer(b->local_peer(), {b_address.without_peer()}));
  EXPECT_FALSE(dialer->on_peer(b->local_peer(), {b_address.without_peer()}));  // already pending
  EXPECT_TRUE(net_.run_until([&] { return connected == 1; }, 5s));
  EXPECT_FALSE(dialer->on_peer(b->local_peer(), {b_address.without_peer()}));  // already connected
  EXPECT_FALSE(dialer->on_peer(c->local_peer(), {c_address.without_peer()}));  // at max_connections
  EXPECT_FALSE(dialer->on_peer(a->local_peer(), {b_address.without_peer()}));  // ourselves
  EXPECT_EQ(a->connections().size(), 1u);
  dialer->stop();
  net_.shutdown(*a);
  net_.shutdown(*b);
  net_.shutdown(*c);
}

}  // namespace
}  // namespace prowl::discovery
