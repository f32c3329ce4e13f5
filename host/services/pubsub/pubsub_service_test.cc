#include "host/services/pubsub/pubsub_service.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <map>
#include <string>

#include "host/base/peer_record/signed_peer_record.h"
#include "host/services/protocols/identify/identify_service.h"
#include "host/wire/identify/peer_store.h"
#include "host/wire/pubsub/message_signing.h"
#include "host/wire/pubsub/rpc_codec.h"
#include "host/services/pubsub/testing/local_network.h"
#include "host/swarm/message_io.h"

namespace prowl::pubsub_service {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

const std::string kTopic = "prowl-test";

PubsubServiceConfig fast_config() {
  PubsubServiceConfig config;
  config.router.heartbeat_interval = 100ms;
  return config;
}

std::vector<uint8_t> bytes(const std::string& text) { return {text.begin(), text.end()}; }
std::string text(const std::vector<uint8_t>& data) { return {data.begin(), data.end()}; }

// Every host subscribes to kTopic and records what it receives, by payload.
struct Inboxes {
  explicit Inboxes(LocalNetwork& net) : received(net.size()) {
    for (size_t i = 0; i < net.size(); ++i) {
      net.service(i).subscribe(kTopic, [this, i](const pubsub::Message& m) { ++received[i][text(m.data)]; });
    }
  }
  size_t total() const {
    size_t n = 0;
    for (const auto& inbox : received)
      for (const auto& [payload, count] : inbox) n += count;
    return n;
  }
  std::vector<std::map<std::string, int>> received;
};

// Waits until every host has a mesh peer for kTopic.
void wait_for_meshes(LocalNetwork& net) {
  ASSERT_TRUE(net.run_until(
      [&] {
        for (size_t i = 0; i < net.size(); ++i)
          if (net.service(i).router().mesh_peers(kTopic).empty()) return false;
        return true;
      },
      10s));
}

// Runs a test with signatures checked inline (0) and on two checker threads.
class SignatureChecksTest : public ::testing::TestWithParam<size_t> {
 protected:
  PubsubServiceConfig config() const {
    PubsubServiceConfig config = fast_config();
    config.signature_check_threads = GetParam();
    return config;
  }
};

INSTANTIATE_TEST_SUITE_P(CheckerThreads, SignatureChecksTest, ::testing::Values(size_t{0}, size_t{2}));

TEST_P(SignatureChecksTest, EveryMessageReachesEverySubscriberExactlyOnce) {
  LocalNetwork net(6, config());
  Inboxes inboxes(net);
  net.connect_random(2, 7);
  wait_for_meshes(net);
  for (size_t i = 0; i < net.size(); ++i) {
    EXPECT_FALSE(net.service(i).peers().empty());
    for (int k = 0; k < 5; ++k) {
      std::string error;
      ASSERT_TRUE(net.service(i).publish(kTopic, bytes("m" + std::to_string(i) + "-" + std::to_string(k)), &error))
          << error;
    }
  }
  const size_t expected = net.size() * net.size() * 5;  // own messages are delivered locally too
  EXPECT_TRUE(net.run_until([&] { return inboxes.total() >= expected; }, 10s));
  net.run_for(500ms);  // duplicates would arrive now
  for (size_t i = 0; i < net.size(); ++i) {
    ASSERT_EQ(inboxes.received[i].size(), net.size() * 5) << "host " << i;
    for (const auto& [payload, count] : inboxes.received[i]) EXPECT_EQ(count, 1) << payload << " at host " << i;
    EXPECT_EQ(net.service(i).stats().messages_published, 5u);
    EXPECT_GT(net.service(i).stats().rpcs_sent, 0u);
    EXPECT_EQ(net.service(i).stats().rpcs_dropped_queue_full, 0u);
  }
}

TEST(PubsubServiceTest, RejectedMessagesAreDroppedAndPenalizeTheSender) {
  LocalNetwork net(2, fast_config());
  Inboxes inboxes(net);
  net.service(1).add_validator(kTopic, [](const pubsub::Message& m) {
    return text(m.data).starts_with("bad") ? pubsub::Verdict::kReject : pubsub::Verdict::kAccept;
  });
  net.connect(0, 1);
  wait_for_meshes(net);
  const identity::PeerId sender = net.swarm(0).local_peer();
  EXPECT_GE(net.service(1).router().score(sender), 0.0);

  ASSERT_TRUE(net.service(0).publish(kTopic, bytes("bad one")));
  ASSERT_TRUE(net.service(0).publish(kTopic, bytes("bad two")));
  ASSERT_TRUE(net.service(0).publish(kTopic, bytes("good one")));
  EXPECT_TRUE(net.run_until([&] { return inboxes.received[1].count("good one") == 1; }, 5s));
  net.run_for(200ms);
  EXPECT_EQ(inboxes.received[1].count("bad one"), 0u);
  EXPECT_EQ(inboxes.received[0].count("bad one"), 1u);  // the author's own delivery is not validated remotely
  EXPECT_EQ(net.service(1).stats().validations_rejected, 2u);
  EXPECT_EQ(net.service(1).stats().validations_accepted, 1u);
  EXPECT_EQ(net.service(1).router().stats().messages_rejected, 2u);
  // P4 (-10 x 2^2) outweighs the first delivery of the good one (+1).
  EXPECT_LT(net.service(1).router().score(sender), 0.0);
}

TEST(PubsubServiceTest, AsyncValidatorsMayWaitAndIgnore) {
  LocalNetwork net(2, fast_config());
  Inboxes inboxes(net);
  net.service(1).add_async_validator(kTopic, [](const pubsub::Message& m) -> asio::awaitable<pubsub::Verdict> {
    asio::steady_timer timer(co_await asio::this_coro::executor, 20ms);
    co_await timer.async_wait(asio::use_awaitable);
    co_return text(m.data) == "skip" ? pubsub::Verdict::kIgnore : pubsub::Verdict::kAccept;
  });
  net.connect(1, 0);
  wait_for_meshes(net);
  ASSERT_TRUE(net.service(0).publish(kTopic, bytes("skip")));
  ASSERT_TRUE(net.service(0).publish(kTopic, bytes("keep")));
  EXPECT_TRUE(net.run_until([&] { return inboxes.received[1].count("keep") == 1; }, 5s));
  net.run_for(100ms);
  EXPECT_EQ(inboxes.received[1].count("skip"), 0u);
  EXPECT_EQ(net.service(1).stats().validations_ignored, 1u);
  EXPECT_GE(net.service(1).router().score(net.swarm(0).local_peer()), 0.0);  // ignore carries no penalty
}

TEST(PubsubServiceTest, ARemovedValidatorNoLongerJudges) {
  LocalNetwork net(2, fast_config());
  Inboxes inboxes(net);
  const auto reject_bad = [](const pubsub::Message& m) {
    return text(m.data).starts_with("bad") ? pubsub::Verdict::kReject : pubsub::Verdict::kAccept;
  };
  const ValidatorId first = net.service(1).add_validator(kTopic, reject_bad);
  const ValidatorId second = net.service(1).add_validator(kTopic, reject_bad);
  EXPECT_NE(first, second);
  EXPECT_EQ(net.service(1).validators(kTopic), 2u);
  net.connect(1, 0);
  wait_for_meshes(net);
  ASSERT_TRUE(net.service(0).publish(kTopic, bytes("bad-1")));
  ASSERT_TRUE(net.service(0).publish(kTopic, bytes("good-1")));
  EXPECT_TRUE(net.run_until([&] { return inboxes.received[1].count("good-1") == 1; }, 5s));

  net.service(1).remove_validator(first);
  EXPECT_EQ(net.service(1).validators(kTopic), 1u);  // the other one still judges
  ASSERT_TRUE(net.service(0).publish(kTopic, bytes("bad-2")));
  ASSERT_TRUE(net.service(0).publish(kTopic, bytes("good-2")));
  EXPECT_TRUE(net.run_until([&] { return inboxes.received[1].count("good-2") == 1; }, 5s));

  net.service(1).remove_validator(second);
  net.service(1).remove_validator(second);  // unknown now: ignored
  EXPECT_EQ(net.service(1).validators(kTopic), 0u);
  const uint64_t judged = net.service(1).stats().validations_accepted + net.service(1).stats().validations_rejected;
  ASSERT_TRUE(net.service(0).publish(kTopic, bytes("bad-3")));
  EXPECT_TRUE(net.run_until([&] { return inboxes.received[1].count("bad-3") == 1; }, 5s));
  EXPECT_EQ(inboxes.received[1].count("bad-1"), 0u);
  EXPECT_EQ(inboxes.received[1].count("bad-2"), 0u);
  EXPECT_EQ(net.service(1).stats().validations_accepted + net.service(1).stats().validations_rejected, judged);
}

TEST(PubsubServiceTest, UnsubscribeStopsDeliveryAndLeavesTheTopic) {
  LocalNetwork net(2, fast_config());
  int got = 0;
  const SubscriptionId a = net.service(1).subscribe(kTopic, [&](const pubsub::Message&) { ++got; });
  net.service(0).subscribe(kTopic, [](const pubsub::Message&) {});
  net.connect(0, 1);
  wait_for_meshes(net);
  ASSERT_TRUE(net.service(0).publish(kTopic, bytes("one")));
  EXPECT_TRUE(net.run_until([&] { return got == 1; }, 5s));
  net.service(1).unsubscribe(a);
  EXPECT_FALSE(net.service(1).router().subscribed(kTopic));
  EXPECT_TRUE(net.run_until([&] { return net.service(0).router().topic_peers(kTopic).empty(); }, 5s));
  ASSERT_TRUE(net.service(0).publish(kTopic, bytes("two")));
  net.run_for(300ms);
  EXPECT_EQ(got, 1);
}

TEST(PubsubServiceTest, DisconnectTearsThePeerDown) {
  LocalNetwork net(3, fast_config());
  Inboxes inboxes(net);
  net.connect(0, 1);
  net.connect(0, 2);
  ASSERT_TRUE(net.run_until([&] { return net.service(0).peers().size() == 2; }, 5s));
  bool closed = false;
  asio::co_spawn(net.io(), net.swarm(2).shutdown(), [&](std::exception_ptr) { closed = true; });
  ASSERT_TRUE(net.run_until([&] { return closed && net.service(0).peers().size() == 1; }, 5s));
  EXPECT_TRUE(net.service(0).router().topic_peers(kTopic).size() <= 1);
  ASSERT_TRUE(net.service(0).publish(kTopic, bytes("after")));
  EXPECT_TRUE(net.run_until([&] { return inboxes.received[1].count("after") == 1; }, 5s));
}

TEST(PubsubServiceTest, ASlowPeersQueueIsBounded) {
  PubsubServiceConfig config = fast_config();
  config.max_queued_rpcs_per_peer = 4;
  LocalNetwork net(2, config);
  Inboxes inboxes(net);
  net.connect(0, 1);
  wait_for_meshes(net);
  // 50 publishes in one turn of the loop: the writer cannot drain in between.
  for (int k = 0; k < 50; ++k) ASSERT_TRUE(net.service(0).publish(kTopic, bytes("burst" + std::to_string(k))));
  net.run_for(300ms);
  EXPECT_GE(net.service(0).stats().rpcs_dropped_queue_full, 46u);
  EXPECT_GE(inboxes.received[1].size(), 1u);
  EXPECT_LE(inboxes.received[1].size(), 4u);
}

// A raw peer speaking /meshsub/1.1.0 with the router's codec but no signing:
// a forged signature and a missing one are both refused and penalized.
TEST_P(SignatureChecksTest, ForgedAndUnsignedMessagesAreRejectedAndCountedAgainstTheSender) {
  LocalNetwork net(2, config());
  Inboxes inboxes(net);
  net.connect(0, 1);
  wait_for_meshes(net);
  const identity::PeerId forger = net.swarm(0).local_peer();
  EXPECT_GE(net.service(1).router().score(forger), 0.0);

  pubsub::pb::RPC rpc;
  pubsub::pb::Message& forged = *rpc.add_publish();
  forged.set_from(std::string(forger.bytes().begin(), forger.bytes().end()));
  forged.set_seqno(pubsub::encode_seqno(42));
  forged.set_topic(kTopic);
  forged.set_data("forged");
  forged.set_signature(std::string(64, '\x5a'));
  pubsub::pb::Message& unsigned_message = *rpc.add_publish();
  unsigned_message = forged;
  unsigned_message.set_seqno(pubsub::encode_seqno(43));
  unsigned_message.set_data("unsigned");
  unsigned_message.clear_signature();
  const auto bodies = pubsub::encode_rpc(rpc, 1 << 20);
  ASSERT_EQ(bodies.size(), 1u);

  bool sent = false;
  std::shared_ptr<swarm::Stream> stream;  // kept open: dropping a stream resets it
  auto send = [&]() -> asio::awaitable<void> {
    const std::vector<std::string> protocol{"/meshsub/1.1.0"};
    stream = co_await net.swarm(0).open_stream(net.swarm(1).local_peer(), protocol);
    co_await swarm::write_message(*stream, bodies[0]);
    sent = true;
  };
  asio::co_spawn(net.io(), send(), asio::detached);
  ASSERT_TRUE(net.run_until([&] { return sent && net.service(1).router().stats().messages_invalid_signature == 2; },
                            5s))
      << "sent " << sent << ", malformed " << net.service(1).router().stats().rpcs_malformed << ", invalid "
      << net.service(1).router().stats().messages_invalid_signature << ", inbound streams "
      << net.service(1).stats().inbound_streams << ", rpcs " << net.service(1).stats().rpcs_received;
  net.run_for(200ms);
  EXPECT_TRUE(inboxes.received[1].empty());
  EXPECT_LT(net.service(1).router().score(forger), 0.0);
}

// Four hosts, each with identify: host 1 is connected to 0, 2 and 3 and has
// identified 2 and 3 (their signed peer records are in its store); 0, 2 and 3
// are not connected to each other. Everyone joins kTopic.
struct PxNetwork {
  explicit PxNetwork(PubsubServiceConfig config) : net(4, config), stores(4) {
    for (size_t i = 0; i < net.size(); ++i) {
      identify.push_back(std::make_unique<protocols::IdentifyService>(net.swarm(i), stores[i], "prowl-test"));
      identify.back()->install();
    }
    inboxes = std::make_unique<Inboxes>(net);
    for (size_t i : {0, 2, 3}) net.connect(1, i);
    size_t identified = 0;
    for (size_t i : {2, 3}) {
      asio::co_spawn(net.io(), identify[1]->identify(net.swarm(i).local_peer()),
                     [&](std::exception_ptr e, protocols::IdentifyRecord) { identified += e ? 100 : 1; });
    }
    EXPECT_TRUE(net.run_until([&] { return identified >= 2; }, 5s));
    EXPECT_EQ(identified, 2u);
  }

  // Host 1 leaves the topic: its PRUNE to host 0 suggests hosts 2 and 3.
  void host1_prunes() {
    EXPECT_TRUE(net.run_until([&] { return net.service(1).router().mesh_peers(kTopic).size() == 3; }, 5s));
    net.service(1).unsubscribe(1);  // Inboxes made subscription id 1 on each host
  }

  bool host0_connected_to(size_t i) {
    for (const auto& c : net.swarm(0).connections())
      if (c.peer == net.swarm(i).local_peer()) return true;
    return false;
  }

  LocalNetwork net;
  std::vector<protocols::PeerStore> stores;
  std::vector<std::unique_ptr<protocols::IdentifyService>> identify;
  std::unique_ptr<Inboxes> inboxes;
};

PubsubServiceConfig px_config() {
  PubsubServiceConfig config = fast_config();
  config.router.thresholds.accept_px = 0;  // a fresh peer's score (0) is enough
  return config;
}

TEST(PubsubServiceTest, PeerExchangeDialsThePeersOfVerifiedSignedRecords) {
  PxNetwork px(px_config());
  // Identify verified and kept the records of hosts 2 and 3.
  for (size_t i : {2, 3}) {
    const auto record = px.stores[1].certified(px.net.swarm(i).local_peer());
    ASSERT_TRUE(record) << i;
    EXPECT_EQ(record->record().addresses().at(0), px.net.address(i).without_peer());
  }
  px.net.service(1).set_peer_record_lookup([&](const identity::PeerId& p) -> std::optional<std::vector<uint8_t>> {
    auto record = px.stores[1].certified(p);
    if (!record) return std::nullopt;
    return record->envelope();
  });
  EXPECT_FALSE(px.host0_connected_to(2));
  px.host1_prunes();
  ASSERT_TRUE(px.net.run_until([&] { return px.host0_connected_to(2) && px.host0_connected_to(3); }, 5s));
  EXPECT_EQ(px.net.service(0).stats().px_dialed, 2u);
  EXPECT_EQ(px.net.service(0).stats().px_skipped, 0u);
  // The new connections become pubsub links.
  EXPECT_TRUE(px.net.run_until([&] { return px.net.service(0).peers().size() == 3; }, 5s));
}

TEST(PubsubServiceTest, PeerExchangeSkipsSuggestionsWithoutAValidRecord) {
  PxNetwork px(px_config());
  // Host 1 hands out host 3's record for host 2 and nothing for host 3.
  px.net.service(1).set_peer_record_lookup([&](const identity::PeerId& p) -> std::optional<std::vector<uint8_t>> {
    if (p != px.net.swarm(2).local_peer()) return std::nullopt;
    return px.stores[1].certified(px.net.swarm(3).local_peer())->envelope();
  });
  px.host1_prunes();
  ASSERT_TRUE(px.net.run_until([&] { return px.net.service(0).stats().px_skipped == 2; }, 5s));
  px.net.run_for(300ms);
  EXPECT_FALSE(px.host0_connected_to(2));
  EXPECT_FALSE(px.host0_connected_to(3));
  EXPECT_EQ(px.net.service(0).stats().px_dialed, 0u);
}

TEST(PubsubServiceTest, PeerExchangeFromAPoorlyScoredPeerIsIgnored) {
  PxNetwork px(fast_config());  // accept_px 10: host 1's score 0 is below it
  px.net.service(1).set_peer_record_lookup([&](const identity::PeerId& p) -> std::optional<std::vector<uint8_t>> {
    auto record = px.stores[1].certified(p);
    if (!record) return std::nullopt;
    return record->envelope();
  });
  px.host1_prunes();
  ASSERT_TRUE(px.net.run_until([&] { return px.net.service(0).router().mesh_peers(kTopic).size() < 1 ||
                                            px.net.service(0).router().in_backoff(px.net.swarm(1).local_peer(), kTopic); },
                               5s));
  px.net.run_for(300ms);
  EXPECT_FALSE(px.host0_connected_to(2));
  EXPECT_EQ(px.net.service(0).stats().px_dialed + px.net.service(0).stats().px_skipped, 0u);
}

// Host 1 resets every pubsub stream host 0 opens once it has read one RPC from it.
struct ResettingPeer {
  explicit ResettingPeer(LocalNetwork& net) {
    for (std::string_view id : pubsub::kProtocolIds) {
      net.swarm(1).set_handler(std::string(id), [this](std::shared_ptr<swarm::Stream> s) -> asio::awaitable<void> {
        ++streams;
        auto body = co_await swarm::read_message(*s, 1 << 20);
        if (body) ++rpcs;
        s->reset();
      });
    }
  }
  int streams = 0;
  int rpcs = 0;
};

TEST(PubsubServiceTest, AFailedOutboundStreamIsReopenedABoundedNumberOfTimes) {
  PubsubServiceConfig config = fast_config();
  config.stream_reopen_backoff = 20ms;
  LocalNetwork net(2, config);
  ResettingPeer peer(net);
  net.service(0).subscribe(kTopic, [](const pubsub::Message&) {});
  net.connect(0, 1);
  ASSERT_TRUE(net.run_until([&] { return peer.rpcs == 1; }, 5s));
  // Each new subscription is an RPC to write; a write on a reset stream fails.
  int topics = 0;
  auto more = [&] {
    net.service(0).subscribe("t" + std::to_string(topics++), [](const pubsub::Message&) {});
    net.run_for(60ms);
  };
  while (net.service(0).stats().stream_reopens < 1 && topics < 20) more();
  EXPECT_EQ(net.service(0).stats().stream_reopens, 1u);
  EXPECT_TRUE(net.run_until([&] { return peer.streams == 2; }, 2s));
  EXPECT_EQ(net.service(0).peers().size(), 1u);  // the router kept the peer
  while (net.service(0).stats().stream_failures < 4 && topics < 60) more();
  net.run_for(300ms);
  EXPECT_EQ(net.service(0).stats().stream_reopens, config.max_stream_reopens);
  EXPECT_EQ(peer.streams, 1 + static_cast<int>(config.max_stream_reopens));
  EXPECT_EQ(net.service(0).stats().stream_failures, 1 + config.max_stream_reopens);
}

}  // namespace
}  // namespace prowl::pubsub_service
