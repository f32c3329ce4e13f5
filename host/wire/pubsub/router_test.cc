// The router against hand-made peers: each test feeds RPCs and checks the answers.
#include "host/wire/pubsub/router.h"

#include <gtest/gtest.h>

#include "host/wire/pubsub/message_signing.h"
#include "host/base/identity/test_keys.h"

namespace prowl::pubsub {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

using identity::test_keys::key_from_fill;
using identity::test_keys::peer_from_fill;

std::vector<uint8_t> bytes_of(const pb::RPC& rpc) {
  const std::string s = rpc.SerializeAsString();
  return {s.begin(), s.end()};
}

class RouterTest : public ::testing::Test {
 protected:
  void make_router(RouterConfig config = {}) {
    config.clock = [this] { return now_; };
    config.seed = 42;
    router_ = std::make_unique<Router>(key_from_fill(100), std::move(config));
  }

  // Peer number i (1-based) with its own key.
  identity::PeerId peer(uint8_t i) { return peer_from_fill(i); }

  void connect(uint8_t i, bool outbound = false, Protocol protocol = Protocol::kMeshsub11) {
    router_->on_peer_connected(peer(i), outbound, protocol);
  }

  void send(uint8_t i, const pb::RPC& rpc) { router_->on_rpc(peer(i), bytes_of(rpc)); }

  void subscribe_peer(uint8_t i, const std::string& topic) {
    pb::RPC rpc;
    auto* sub = rpc.add_subscriptions();
    sub->set_subscribe(true);
    sub->set_topicid(topic);
    send(i, rpc);
  }

  void graft_from(uint8_t i, const std::string& topic) {
    pb::RPC rpc;
    rpc.mutable_control()->add_graft()->set_topicid(topic);
    send(i, rpc);
  }

  pb::Message message_by(uint8_t author, const std::string& topic, const std::string& data,
                         uint64_t seqno) {
    pb::Message m;
    m.set_data(data);
    m.set_seqno(encode_seqno(seqno));
    m.set_topic(topic);
    sign_message(key_from_fill(author), m);
    return m;
  }

  void publish_from(uint8_t i, const pb::Message& m) {
    pb::RPC rpc;
    *rpc.add_publish() = m;
    send(i, rpc);
  }

  // Peer 1 sends a forged copy of author 3's message 1 on "t", then peer 2 the real one.
  void forgery_then_real() {
    connect(1);
    connect(2);
    pb::Message forged = message_by(3, "t", "real", 1);
    forged.set_data("forged");
    publish_from(1, forged);
    publish_from(2, message_by(3, "t", "real", 1));
  }

  void tick(Clock::duration d = seconds(1)) {
    now_ += d;
    router_->heartbeat();
  }

  // Takes the actions; returns the decoded RPCs sent to peer i (others are kept in `rest_`).
  std::vector<pb::RPC> sent_to(uint8_t i) {
    take();
    std::vector<pb::RPC> out;
    for (const auto& action : actions_)
      if (auto* s = std::get_if<SendRpc>(&action); s && s->peer == peer(i))
        out.push_back(*decode_rpc(s->bytes, RpcLimits{}));
    return out;
  }

  void take() {
    for (auto& a : router_->take_actions()) actions_.push_back(std::move(a));
  }

  template <typename T>
  std::vector<T> taken() {
    take();
    std::vector<T> out;
    for (const auto& action : actions_)
      if (auto* a = std::get_if<T>(&action)) out.push_back(*a);
    return out;
  }

  void clear() {
    router_->take_actions();
    actions_.clear();
  }

  static int count(const std::vector<pb::RPC>& rpcs, int (pb::ControlMessage::*size)() const) {
    int n = 0;
    for (const auto& rpc : rpcs) n += (rpc.control().*size)();
    return n;
  }

  bool in_mesh(uint8_t i, const std::string& topic) {
    auto mesh = router_->mesh_peers(topic);
    return std::find(mesh.begin(), mesh.end(), peer(i)) != mesh.end();
  }

  Clock::time_point now_ = Clock::time_point{} + std::chrono::hours(1);
  std::unique_ptr<Router> router_;
  std::vector<Action> actions_;
};

TEST_F(RouterTest, AnnouncesSubscriptionsToNewAndExistingPeers) {
  make_router();
  connect(1);
  router_->subscribe("t");
  auto rpcs = sent_to(1);
  ASSERT_EQ(rpcs.size(), 1u);
  ASSERT_EQ(rpcs[0].subscriptions_size(), 1);
  EXPECT_TRUE(rpcs[0].subscriptions(0).subscribe());
  EXPECT_EQ(rpcs[0].subscriptions(0).topicid(), "t");
  clear();
  connect(2);
  rpcs = sent_to(2);
  ASSERT_EQ(rpcs.size(), 1u);
  EXPECT_EQ(rpcs[0].subscriptions(0).topicid(), "t");
}

TEST_F(RouterTest, RefusesConfigsThatBreakTheSpecInvariants) {
  RouterConfig bad;
  bad.d_lo = 7;
  EXPECT_THROW(make_router(bad), std::invalid_argument);
  bad = RouterConfig{};
  bad.thresholds.graylist = 0;
  EXPECT_THROW(make_router(bad), std::invalid_argument);
}

TEST_F(RouterTest, SubscribeGraftsKnownTopicPeers) {
  make_router();
  for (uint8_t i = 1; i <= 8; ++i) {
    connect(i);
    subscribe_peer(i, "t");
  }
  clear();
  router_->subscribe("t");
  EXPECT_EQ(router_->mesh_peers("t").size(), 6u);
  int grafts = 0;
  for (uint8_t i = 1; i <= 8; ++i) grafts += count(sent_to(i), &pb::ControlMessage::graft_size);
  EXPECT_EQ(grafts, 6);
}

TEST_F(RouterTest, GraftJoinsTheMeshOnlyForSubscribedTopics) {
  make_router();
  router_->subscribe("t");
  connect(1);
  graft_from(1, "t");
  graft_from(1, "other");
  EXPECT_TRUE(in_mesh(1, "t"));
  EXPECT_TRUE(router_->mesh_peers("other").empty());
  EXPECT_EQ(count(sent_to(1), &pb::ControlMessage::prune_size), 0);
}

TEST_F(RouterTest, PruneBackoffIsRespectedAndGraftsDuringItArePenalized) {
  make_router();
  router_->subscribe("t");
  connect(1);
  subscribe_peer(1, "t");
  tick();
  ASSERT_TRUE(in_mesh(1, "t"));
  pb::RPC prune;
  auto* p = prune.mutable_control()->add_prune();
  p->set_topicid("t");
  p->set_backoff(60);
  send(1, prune);
  EXPECT_FALSE(in_mesh(1, "t"));
  EXPECT_TRUE(router_->in_backoff(peer(1), "t"));
  clear();
  for (int s = 0; s < 61; ++s) tick();
  EXPECT_FALSE(in_mesh(1, "t"));
  EXPECT_EQ(count(sent_to(1), &pb::ControlMessage::graft_size), 0);
  for (int s = 0; s < 3; ++s) tick();  // backoff plus two heartbeats of slack
  EXPECT_TRUE(in_mesh(1, "t"));
  EXPECT_EQ(count(sent_to(1), &pb::ControlMessage::graft_size), 1);

  // Now we prune peer 1 (its score goes negative) and it grafts right back.
  router_->set_application_score(peer(1), -5);
  clear();
  tick();
  EXPECT_FALSE(in_mesh(1, "t"));
  auto rpcs = sent_to(1);
  ASSERT_EQ(count(rpcs, &pb::ControlMessage::prune_size), 1);
  EXPECT_EQ(rpcs[0].control().prune(0).backoff(), 60u);
  router_->set_application_score(peer(1), 0);
  clear();
  graft_from(1, "t");
  EXPECT_FALSE(in_mesh(1, "t"));
  EXPECT_EQ(count(sent_to(1), &pb::ControlMessage::prune_size), 1);
  EXPECT_EQ(router_->stats().graft_backoff_violations, 1u);
  EXPECT_LT(router_->score(peer(1)), -3.5);  // P7: 2 (flood) squared, weight -1, minus decay
}

TEST_F(RouterTest, OversubscribedMeshIsPrunedToDKeepingOutboundPeers) {
  make_router();
  router_->subscribe("t");
  for (uint8_t i = 1; i <= 14; ++i) {
    connect(i, i > 10);  // peers 11..14 are outbound
    subscribe_peer(i, "t");
  }
  for (uint8_t i = 1; i <= 14; ++i) graft_from(i, "t");
  EXPECT_EQ(router_->mesh_peers("t").size(), 14u);  // inbound refused only at d_hi
  clear();
  tick();
  const auto mesh = router_->mesh_peers("t");
  EXPECT_EQ(mesh.size(), 6u);
  int outbound = 0;
  for (uint8_t i = 11; i <= 14; ++i) outbound += in_mesh(i, "t");
  EXPECT_GE(outbound, 2);
  int prunes = 0, px = 0;
  for (uint8_t i = 1; i <= 14; ++i) {
    for (const auto& rpc : sent_to(i)) {
      for (const auto& p : rpc.control().prune()) {
        ++prunes;
        px += p.peers_size();
        EXPECT_FALSE(in_mesh(i, "t"));
      }
    }
  }
  EXPECT_EQ(prunes, 8);
  EXPECT_GT(px, 0);
}

TEST_F(RouterTest, InboundGraftIsRefusedAtDHi) {
  make_router();
  router_->subscribe("t");
  for (uint8_t i = 1; i <= 13; ++i) {
    connect(i);
    graft_from(i, "t");
  }
  EXPECT_EQ(router_->mesh_peers("t").size(), 12u);
  EXPECT_EQ(count(sent_to(13), &pb::ControlMessage::prune_size), 1);
}

TEST_F(RouterTest, PruneExchangesPeersWithTheirSignedRecords) {
  make_router();
  // Even peers have a record; peer 3's is over the limit and is left out.
  router_->set_peer_record_lookup([this](const identity::PeerId& p) -> std::optional<std::vector<uint8_t>> {
    if (p == peer(3)) return std::vector<uint8_t>(RpcLimits{}.max_peer_record_bytes + 1, 3);
    for (uint8_t i = 2; i <= 12; i += 2)
      if (p == peer(i)) return std::vector<uint8_t>{'r', i};
    return std::nullopt;
  });
  router_->subscribe("t");
  for (uint8_t i = 1; i <= 13; ++i) {
    connect(i);
    subscribe_peer(i, "t");
    graft_from(i, "t");
  }
  const auto rpcs = sent_to(13);
  ASSERT_EQ(count(rpcs, &pb::ControlMessage::prune_size), 1);
  size_t listed = 0;
  for (const auto& rpc : rpcs) {
    for (const auto& prune : rpc.control().prune()) {
      for (const auto& info : prune.peers()) {
        ++listed;
        const auto id = identity::PeerId::from_bytes(
            {reinterpret_cast<const uint8_t*>(info.peerid().data()), info.peerid().size()});
        ASSERT_TRUE(id);
        EXPECT_NE(*id, peer(13));  // never the pruned peer itself
        uint8_t i = 1;
        while (i <= 12 && peer(i) != *id) ++i;
        ASSERT_LE(i, 12);
        if (i % 2 == 0) {
          EXPECT_EQ(info.signedpeerrecord(), std::string({'r', static_cast<char>(i)})) << int(i);
        } else {
          EXPECT_FALSE(info.has_signedpeerrecord()) << int(i);
        }
      }
    }
  }
  EXPECT_GT(listed, 0u);
}

TEST_F(RouterTest, IhaveIsAnsweredWithinTheVolumeLimits) {
  RouterConfig config;
  config.max_ihave_length = 10;
  config.max_ihave_messages = 2;
  make_router(config);
  router_->subscribe("t");
  connect(1);
  clear();
  auto ihave = [&](int first, int n) {
    pb::RPC rpc;
    auto* entry = rpc.mutable_control()->add_ihave();
    entry->set_topicid("t");
    for (int i = first; i < first + n; ++i) entry->add_messageids("id" + std::to_string(i));
    send(1, rpc);
  };
  ihave(0, 15);
  auto rpcs = sent_to(1);
  ASSERT_EQ(count(rpcs, &pb::ControlMessage::iwant_size), 1);
  EXPECT_EQ(rpcs[0].control().iwant(0).messageids_size(), 10);  // max_ihave_length
  clear();
  ihave(100, 5);  // asked 10 already this heartbeat
  EXPECT_EQ(count(sent_to(1), &pb::ControlMessage::iwant_size), 0);
  EXPECT_EQ(router_->stats().ihave_ignored, 1u);
  tick();
  clear();
  ihave(200, 3);
  ihave(300, 3);
  ihave(400, 3);  // the third IHAVE RPC of this heartbeat
  EXPECT_EQ(count(sent_to(1), &pb::ControlMessage::iwant_size), 2);
  EXPECT_EQ(router_->stats().ihave_ignored, 2u);
}

TEST_F(RouterTest, BrokenIwantPromisesArePenalized) {
  make_router();
  router_->subscribe("t");
  connect(1);
  pb::RPC rpc;
  auto* entry = rpc.mutable_control()->add_ihave();
  entry->set_topicid("t");
  entry->add_messageids("never-delivered");
  send(1, rpc);
  EXPECT_EQ(router_->stats().iwant_ids_sent, 1u);
  for (int s = 0; s < 4; ++s) tick();
  EXPECT_LT(router_->score(peer(1)), -0.9);
}

TEST_F(RouterTest, IwantIsServedFromTheCacheUpToTheRetransmissionLimit) {
  make_router();
  router_->subscribe("t");
  connect(1);
  const std::string data = "served";
  auto id = router_->publish("t", {reinterpret_cast<const uint8_t*>(data.data()), data.size()});
  ASSERT_TRUE(id);
  clear();
  pb::RPC iwant;
  iwant.mutable_control()->add_iwant()->add_messageids(*id);
  int served = 0;
  for (int i = 0; i < 5; ++i) {
    send(1, iwant);
    for (const auto& r : sent_to(1)) served += r.publish_size();
    clear();
  }
  EXPECT_EQ(served, 3);
}

TEST_F(RouterTest, ForgedSignaturesAreRejectedAndGraylistTheSender) {
  make_router();
  router_->subscribe("t");
  connect(1);
  // P4 is -10 x count^2: two forgeries leave the sender above the graylist
  // threshold (-80), the third puts it below and its later RPCs are ignored.
  for (uint64_t i = 0; i < 3; ++i) {
    EXPECT_GE(router_->score(peer(1)), RouterConfig{}.thresholds.graylist);
    pb::Message m = message_by(1, "t", "real", i);
    m.set_data("forged");
    publish_from(1, m);
  }
  EXPECT_EQ(router_->stats().messages_invalid_signature, 3u);
  EXPECT_TRUE(taken<DeliverMessage>().empty());
  EXPECT_LT(router_->score(peer(1)), RouterConfig{}.thresholds.graylist);
  publish_from(1, message_by(1, "t", "valid now", 100));
  publish_from(1, message_by(1, "t", "forged again", 101));
  EXPECT_EQ(router_->stats().rpcs_graylisted, 2u);
  EXPECT_EQ(router_->stats().messages_invalid_signature, 3u);
  EXPECT_TRUE(taken<DeliverMessage>().empty());
}

TEST_F(RouterTest, ForgeryDoesNotShadowTheRealMessage) {
  make_router();
  router_->subscribe("t");
  forgery_then_real();
  auto delivered = taken<DeliverMessage>();
  ASSERT_EQ(delivered.size(), 1u);
  EXPECT_EQ(delivered[0].message.from, peer(3));
  EXPECT_EQ(delivered[0].message.seqno, 1u);
  EXPECT_EQ(std::string(delivered[0].message.data.begin(), delivered[0].message.data.end()),
            "real");
}

TEST_F(RouterTest, OffloadedSignatureChecksHoldTheMessageUntilTheReport) {
  RouterConfig config;
  config.offload_signature_checks = true;
  make_router(config);
  router_->subscribe("t");
  connect(1);
  connect(2);
  connect(3);
  graft_from(3, "t");
  clear();
  const pb::Message m = message_by(1, "t", "check me", 1);
  publish_from(1, m);
  auto checks = taken<CheckSignature>();
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_EQ(checks[0].message->data(), "check me");
  EXPECT_TRUE(taken<DeliverMessage>().empty());
  EXPECT_TRUE(sent_to(3).empty());
  // A second copy while the first is checked is not checked again; nor does
  // an IHAVE of it draw an IWANT.
  publish_from(2, m);
  pb::RPC ihave;
  auto* entry = ihave.mutable_control()->add_ihave();
  entry->set_topicid("t");
  entry->add_messageids(checks[0].id);
  send(2, ihave);
  EXPECT_EQ(taken<CheckSignature>().size(), 1u);
  EXPECT_EQ(count(sent_to(2), &pb::ControlMessage::iwant_size), 0);

  EXPECT_TRUE(router_->report_signature(checks[0].id, verify_message(*checks[0].message)));
  EXPECT_FALSE(router_->report_signature(checks[0].id, verify_message(*checks[0].message)));
  auto delivered = taken<DeliverMessage>();
  ASSERT_EQ(delivered.size(), 1u);
  EXPECT_EQ(delivered[0].source, peer(1));
  EXPECT_EQ(router_->stats().messages_duplicate, 1u);
  auto forwarded = sent_to(3);
  ASSERT_EQ(forwarded.size(), 1u);
  EXPECT_EQ(forwarded[0].publish(0).data(), "check me");
  EXPECT_FALSE(router_->report_signature("unknown id", peer(1)));
}

TEST_F(RouterTest, AForgedCopyUnderCheckGivesWayToTheNextCopy) {
  RouterConfig config;
  config.offload_signature_checks = true;
  make_router(config);
  router_->subscribe("t");
  forgery_then_real();
  auto checks = taken<CheckSignature>();
  ASSERT_EQ(checks.size(), 1u);
  const double before = router_->score(peer(1));
  EXPECT_TRUE(router_->report_signature(checks[0].id, verify_message(*checks[0].message)));
  EXPECT_EQ(router_->stats().messages_invalid_signature, 1u);
  EXPECT_LT(router_->score(peer(1)), before);
  EXPECT_TRUE(taken<DeliverMessage>().empty());
  checks = taken<CheckSignature>();  // the forged copy's check, then the spare's
  ASSERT_EQ(checks.size(), 2u);
  EXPECT_EQ(checks[1].message->data(), "real");
  EXPECT_TRUE(router_->report_signature(checks[1].id, verify_message(*checks[1].message)));
  auto delivered = taken<DeliverMessage>();
  ASSERT_EQ(delivered.size(), 1u);
  EXPECT_EQ(delivered[0].source, peer(2));
  EXPECT_EQ(std::string(delivered[0].message.data.begin(), delivered[0].message.data.end()), "real");
}

TEST_F(RouterTest, SignatureChecksRunInlineOnceTheOffloadQueueIsFull) {
  RouterConfig config;
  config.offload_signature_checks = true;
  config.max_pending_signature_checks = 1;
  make_router(config);
  router_->subscribe("t");
  connect(1);
  publish_from(1, message_by(1, "t", "first", 1));
  publish_from(1, message_by(1, "t", "second", 2));
  EXPECT_EQ(taken<CheckSignature>().size(), 1u);
  auto delivered = taken<DeliverMessage>();
  ASSERT_EQ(delivered.size(), 1u);
  EXPECT_EQ(delivered[0].message.seqno, 2u);
}

TEST_F(RouterTest, AsyncValidationHoldsMessagesUntilTheVerdict) {
  make_router();
  router_->subscribe("t");
  router_->set_validation("t", true);
  connect(1);
  connect(2);
  graft_from(2, "t");
  clear();
  publish_from(1, message_by(1, "t", "check me", 1));
  auto validate = taken<ValidateMessage>();
  ASSERT_EQ(validate.size(), 1u);
  EXPECT_EQ(validate[0].source, peer(1));
  EXPECT_TRUE(taken<DeliverMessage>().empty());
  EXPECT_TRUE(sent_to(2).empty());
  EXPECT_TRUE(router_->report_validation(validate[0].id, Verdict::kAccept));
  EXPECT_FALSE(router_->report_validation(validate[0].id, Verdict::kAccept));
  EXPECT_EQ(taken<DeliverMessage>().size(), 1u);
  auto forwarded = sent_to(2);
  ASSERT_EQ(forwarded.size(), 1u);
  EXPECT_EQ(forwarded[0].publish(0).data(), "check me");

  clear();
  const double before = router_->score(peer(1));
  publish_from(1, message_by(1, "t", "bad", 2));
  validate = taken<ValidateMessage>();
  ASSERT_EQ(validate.size(), 1u);
  router_->report_validation(validate[0].id, Verdict::kReject);
  EXPECT_TRUE(taken<DeliverMessage>().empty());
  EXPECT_LT(router_->score(peer(1)), before - 0.9);
  EXPECT_EQ(router_->stats().messages_rejected, 1u);

  clear();
  publish_from(1, message_by(1, "t", "slow", 3));
  for (int s = 0; s < 11; ++s) tick();  // validation_timeout
  EXPECT_EQ(router_->stats().messages_ignored, 1u);
  EXPECT_FALSE(router_->report_validation(taken<ValidateMessage>()[0].id, Verdict::kAccept));
}

TEST_F(RouterTest, IdontwantIsSentForLargeMessagesAndHonoured) {
  make_router();
  router_->subscribe("t");
  connect(1, false, Protocol::kMeshsub12);
  connect(2, false, Protocol::kMeshsub12);
  connect(3, false, Protocol::kMeshsub11);
  for (uint8_t i = 1; i <= 3; ++i) graft_from(i, "t");
  clear();
  const pb::Message big = message_by(9, "t", std::string(2000, 'x'), 1);
  const MessageId id = default_message_id(big);
  pb::RPC dont;
  dont.mutable_control()->add_idontwant()->add_messageids(id);
  send(2, dont);
  publish_from(1, big);
  const auto to2 = sent_to(2);
  int published_to_2 = 0, idontwant_to_2 = 0;
  for (const auto& r : to2) {
    published_to_2 += r.publish_size();
    idontwant_to_2 += r.control().idontwant_size();
  }
  EXPECT_EQ(published_to_2, 0);  // peer 2 said it does not want it
  EXPECT_EQ(idontwant_to_2, 1);
  int idontwant_to_3 = 0, published_to_3 = 0;
  for (const auto& r : sent_to(3)) {
    idontwant_to_3 += r.control().idontwant_size();
    published_to_3 += r.publish_size();
  }
  EXPECT_EQ(idontwant_to_3, 0);  // v1.1 peers do not get IDONTWANT
  EXPECT_EQ(published_to_3, 1);
  EXPECT_EQ(count(sent_to(1), &pb::ControlMessage::idontwant_size), 0);  // not to the source
}

TEST_F(RouterTest, PeerExchangeIsFollowedOnlyFromWellScoredPeers) {
  make_router();
  router_->subscribe("t");
  connect(1);
  connect(2);
  pb::RPC prune;
  auto* p = prune.mutable_control()->add_prune();
  p->set_topicid("t");
  const auto suggested = peer(7).bytes();
  p->add_peers()->set_peerid(std::string(suggested.begin(), suggested.end()));
  p->add_peers()->set_peerid("not a peer id");
  send(1, prune);
  EXPECT_TRUE(taken<ConnectPeer>().empty());  // score 0 < accept_px
  router_->set_application_score(peer(2), 20);
  send(2, prune);
  auto connects = taken<ConnectPeer>();
  ASSERT_EQ(connects.size(), 1u);
  EXPECT_EQ(connects[0].peer, peer(7));
}

TEST_F(RouterTest, PublishUsesFanoutWithoutFloodPublishAndFloodsWithIt) {
  RouterConfig config;
  config.flood_publish = false;
  make_router(config);
  for (uint8_t i = 1; i <= 10; ++i) {
    connect(i);
    subscribe_peer(i, "t");
  }
  clear();
  const std::string data = "to the fanout";
  ASSERT_TRUE(router_->publish("t", {reinterpret_cast<const uint8_t*>(data.data()), data.size()}));
  EXPECT_EQ(router_->fanout_peers("t").size(), 6u);
  EXPECT_EQ(taken<SendRpc>().size(), 6u);
  EXPECT_TRUE(taken<DeliverMessage>().empty());  // not subscribed ourselves
  for (int s = 0; s < 61; ++s) tick();
  EXPECT_TRUE(router_->fanout_peers("t").empty());  // fanout_ttl passed

  make_router();
  for (uint8_t i = 1; i <= 10; ++i) {
    connect(i);
    subscribe_peer(i, "t");
  }
  clear();
  ASSERT_TRUE(router_->publish("t", {reinterpret_cast<const uint8_t*>(data.data()), data.size()}));
  EXPECT_EQ(taken<SendRpc>().size(), 10u);
}

TEST_F(RouterTest, PublishRefusesOversizedData) {
  RouterConfig config;
  config.max_message_size = 100;
  make_router(config);
  std::vector<uint8_t> data(101);
  std::string error;
  EXPECT_FALSE(router_->publish("t", data, &error));
  EXPECT_NE(error.find("exceed max_message_size"), std::string::npos) << error;
  EXPECT_FALSE(router_->publish("", {}, &error));
}

TEST_F(RouterTest, PruneToMeshsub10PeersCarriesNoBackoff) {
  make_router();
  router_->subscribe("t");
  connect(1, false, Protocol::kMeshsub10);
  graft_from(1, "t");
  clear();
  router_->unsubscribe("t");
  auto rpcs = sent_to(1);
  ASSERT_EQ(count(rpcs, &pb::ControlMessage::prune_size), 1);
  EXPECT_FALSE(rpcs[0].control().prune(0).has_backoff());
  EXPECT_FALSE(rpcs[0].subscriptions(0).subscribe());
}

TEST_F(RouterTest, MalformedRpcsAreCountedAndDropped) {
  make_router();
  connect(1);
  const std::vector<uint8_t> junk{0xff, 0xff, 0xff};
  router_->on_rpc(peer(1), junk);
  EXPECT_EQ(router_->stats().rpcs_malformed, 1u);
}

TEST(Protocol, IdsRoundTrip) {
  for (auto id : kProtocolIds) EXPECT_EQ(protocol_id(*parse_protocol(id)), id);
  EXPECT_FALSE(parse_protocol("/floodsub/1.0.0"));
}

}  // namespace
}  // namespace prowl::pubsub
