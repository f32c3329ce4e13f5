#include "host/wire/pubsub/peer_score.h"

#include <gtest/gtest.h>

namespace prowl::pubsub {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

identity::PeerId peer(uint8_t b) {
  std::array<uint8_t, 32> raw{};
  raw.fill(b);
  return identity::PeerId::from_public_key(identity::PublicKey::from_raw(raw));
}

// Only the named component counts; every other weight is zero.
ScoreParams isolated(void (*set)(ScoreParams&, TopicScoreParams&)) {
  ScoreParams p;
  TopicScoreParams t;
  t.time_in_mesh_weight = 0;
  t.first_message_deliveries_weight = 0;
  t.mesh_message_deliveries_weight = 0;
  t.mesh_failure_penalty_weight = 0;
  t.invalid_message_deliveries_weight = 0;
  p.app_specific_weight = 0;
  p.ip_colocation_factor_weight = 0;
  p.behaviour_penalty_weight = 0;
  set(p, t);
  p.topics["t"] = t;
  p.default_topic.reset();
  return p;
}

const Clock::time_point t0 = Clock::time_point{} + std::chrono::hours(1);

TEST(PeerScore, P1GrowsWithMeshTimeUpToTheCap) {
  PeerScore s(isolated([](ScoreParams&, TopicScoreParams& t) {
                t.time_in_mesh_weight = 0.5;
                t.time_in_mesh_cap = 10;
              }),
              seconds(120));
  s.add_peer(peer(1), "");
  s.graft(peer(1), "t", t0);
  EXPECT_DOUBLE_EQ(s.score(peer(1), t0 + seconds(4)), 2.0);
  EXPECT_DOUBLE_EQ(s.score(peer(1), t0 + seconds(100)), 5.0);
  s.prune(peer(1), "t", t0 + seconds(100));
  EXPECT_DOUBLE_EQ(s.score(peer(1), t0 + seconds(100)), 0.0);
}

TEST(PeerScore, P2CountsFirstDeliveriesCappedAndDecays) {
  PeerScore s(isolated([](ScoreParams&, TopicScoreParams& t) {
                t.first_message_deliveries_weight = 1;
                t.first_message_deliveries_cap = 3;
                t.first_message_deliveries_decay = 0.5;
              }),
              seconds(120));
  s.add_peer(peer(1), "");
  for (int i = 0; i < 5; ++i) {
    const MessageId id = "m" + std::to_string(i);
    s.validate_message(id, t0);
    s.deliver_message(peer(1), id, "t", t0);
  }
  EXPECT_DOUBLE_EQ(s.score(peer(1), t0), 3.0);
  s.refresh(t0);
  s.refresh(t0 + seconds(1));
  EXPECT_DOUBLE_EQ(s.score(peer(1), t0 + seconds(1)), 1.5);
}

TEST(PeerScore, P3PenalizesAMeshDeficitAfterActivationAndP3bKeepsIt) {
  PeerScore s(isolated([](ScoreParams&, TopicScoreParams& t) {
                t.mesh_message_deliveries_weight = -1;
                t.mesh_message_deliveries_threshold = 4;
                t.mesh_message_deliveries_activation = milliseconds(5000);
                t.mesh_failure_penalty_weight = -2;
                t.mesh_failure_penalty_decay = 1;
              }),
              seconds(120));
  s.add_peer(peer(1), "");
  s.graft(peer(1), "t", t0);
  s.validate_message("m", t0);
  s.deliver_message(peer(1), "m", "t", t0);
  EXPECT_DOUBLE_EQ(s.score(peer(1), t0 + seconds(4)), 0.0);     // not active yet
  EXPECT_DOUBLE_EQ(s.score(peer(1), t0 + seconds(6)), -9.0);    // deficit 3, squared
  s.prune(peer(1), "t", t0 + seconds(6));
  EXPECT_DOUBLE_EQ(s.score(peer(1), t0 + seconds(6)), -18.0);   // P3b: 9 * -2
}

TEST(PeerScore, DuplicatesDuringValidationCountAsMeshDeliveries) {
  PeerScore s(isolated([](ScoreParams&, TopicScoreParams& t) {
                t.mesh_message_deliveries_weight = -1;
                t.mesh_message_deliveries_threshold = 1;
                t.mesh_message_deliveries_activation = milliseconds(0);
              }),
              seconds(120));
  s.add_peer(peer(1), "");
  s.add_peer(peer(2), "");
  s.graft(peer(1), "t", t0);
  s.graft(peer(2), "t", t0);
  EXPECT_DOUBLE_EQ(s.score(peer(2), t0), -1.0);
  s.validate_message("m", t0);
  s.duplicate_message(peer(2), "m", "t", t0);
  s.deliver_message(peer(1), "m", "t", t0);
  EXPECT_DOUBLE_EQ(s.score(peer(1), t0), 0.0);
  EXPECT_DOUBLE_EQ(s.score(peer(2), t0), 0.0);
}

TEST(PeerScore, P4SquaresInvalidDeliveriesIncludingDuplicatesOfRejectedMessages) {
  PeerScore s(isolated([](ScoreParams&, TopicScoreParams& t) {
                t.invalid_message_deliveries_weight = -1;
              }),
              seconds(120));
  s.add_peer(peer(1), "");
  s.add_peer(peer(2), "");
  s.validate_message("m", t0);
  s.duplicate_message(peer(2), "m", "t", t0);
  s.reject_message(peer(1), "m", "t");
  s.duplicate_message(peer(2), "m", "t", t0);  // a known-invalid message again
  s.reject_unvalidated(peer(1), "t");
  s.reject_unvalidated(peer(1), "t");
  EXPECT_DOUBLE_EQ(s.score(peer(1), t0), -9.0);
  EXPECT_DOUBLE_EQ(s.score(peer(2), t0), -4.0);
  s.validate_message("n", t0);
  s.duplicate_message(peer(2), "n", "t", t0);
  s.ignore_message("n");
  EXPECT_DOUBLE_EQ(s.score(peer(2), t0), -4.0);
}

TEST(PeerScore, P5P6P7) {
  PeerScore s(isolated([](ScoreParams& p, TopicScoreParams&) {
                p.app_specific_weight = 2;
                p.ip_colocation_factor_weight = -1;
                p.ip_colocation_factor_threshold = 2;
                p.behaviour_penalty_weight = -1;
                p.behaviour_penalty_threshold = 1;
              }),
              seconds(120));
  for (uint8_t i = 1; i <= 4; ++i) s.add_peer(peer(i), "10.0.0.1");
  s.add_peer(peer(5), "127.0.0.1");  // whitelisted
  EXPECT_DOUBLE_EQ(s.score(peer(1), t0), -4.0);  // 4 peers, threshold 2: surplus 2 squared
  EXPECT_DOUBLE_EQ(s.score(peer(5), t0), 0.0);
  s.set_app_score(peer(5), 3);
  EXPECT_DOUBLE_EQ(s.score(peer(5), t0), 6.0);
  s.add_penalty(peer(5), 4);
  EXPECT_DOUBLE_EQ(s.score(peer(5), t0), 6.0 - 9.0);
}

TEST(PeerScore, RetainsNegativeScoresAcrossReconnectsButForgetsPositiveOnes) {
  auto params = isolated([](ScoreParams& p, TopicScoreParams&) {
    p.app_specific_weight = 1;
    p.behaviour_penalty_weight = -1;
    p.retain_score = milliseconds(60'000);
  });
  PeerScore s(params, seconds(120));
  s.add_peer(peer(1), "");
  s.add_penalty(peer(1), 2);
  s.add_peer(peer(2), "");
  s.set_app_score(peer(2), 5);
  s.remove_peer(peer(1), t0);
  s.remove_peer(peer(2), t0);
  s.refresh(t0 + seconds(30));
  s.add_peer(peer(1), "");
  s.add_peer(peer(2), "");
  EXPECT_LT(s.score(peer(1), t0 + seconds(30)), 0.0);
  EXPECT_DOUBLE_EQ(s.score(peer(2), t0 + seconds(30)), 0.0);
  s.remove_peer(peer(1), t0 + seconds(30));
  s.refresh(t0 + seconds(91));
  s.add_peer(peer(1), "");
  EXPECT_DOUBLE_EQ(s.score(peer(1), t0 + seconds(91)), 0.0);
}

TEST(PeerScore, TopicScoreCapBoundsPositiveTopicScores) {
  auto params = isolated([](ScoreParams& p, TopicScoreParams& t) {
    t.first_message_deliveries_weight = 1;
    t.first_message_deliveries_cap = 100;
    p.topic_score_cap = 5;
  });
  PeerScore s(params, seconds(120));
  s.add_peer(peer(1), "");
  for (int i = 0; i < 20; ++i) s.deliver_message(peer(1), std::to_string(i), "t", t0);
  EXPECT_DOUBLE_EQ(s.score(peer(1), t0), 5.0);
}

}  // namespace
}  // namespace prowl::pubsub
