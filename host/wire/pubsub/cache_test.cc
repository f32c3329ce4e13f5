// MessageCache, SeenCache and GossipPromises.
#include <gtest/gtest.h>

#include "host/wire/pubsub/gossip_promises.h"
#include "host/wire/pubsub/message_cache.h"
#include "host/wire/pubsub/seen_cache.h"

namespace prowl::pubsub {
namespace {

using std::chrono::seconds;

identity::PeerId peer(uint8_t b) {
  std::array<uint8_t, 32> raw{};
  raw.fill(b);
  return identity::PeerId::from_public_key(identity::PublicKey::from_raw(raw));
}

pb::Message message(const std::string& topic, const std::string& data) {
  pb::Message m;
  m.set_topic(topic);
  m.set_data(data);
  return m;
}

TEST(MessageCache, GossipsOnlyTheNewestWindowsAndForgetsOldOnes) {
  MessageCache cache(5, 3);
  cache.put("m0", message("a", "0"));
  cache.put("x0", message("b", "x"));
  for (int i = 1; i <= 4; ++i) {
    cache.shift();
    cache.put("m" + std::to_string(i), message("a", std::to_string(i)));
  }
  EXPECT_EQ(cache.gossip_ids("a"), (std::vector<MessageId>{"m4", "m3", "m2"}));
  EXPECT_EQ(cache.gossip_ids("b"), std::vector<MessageId>{});
  ASSERT_NE(cache.get("m0"), nullptr);
  EXPECT_EQ(cache.get("m0")->data(), "0");
  cache.shift();  // the window of m0 and x0 falls out
  EXPECT_EQ(cache.get("m0"), nullptr);
  EXPECT_EQ(cache.get("x0"), nullptr);
  EXPECT_NE(cache.get("m1"), nullptr);
  EXPECT_EQ(cache.size(), 4u);
}

TEST(MessageCache, LimitsRetransmissionsPerPeer) {
  MessageCache cache(5, 3);
  cache.put("m", message("a", "d"));
  for (int i = 0; i < 3; ++i) EXPECT_NE(cache.get_for_peer("m", peer(1), 3), nullptr);
  EXPECT_EQ(cache.get_for_peer("m", peer(1), 3), nullptr);
  EXPECT_NE(cache.get_for_peer("m", peer(2), 3), nullptr);
  EXPECT_EQ(cache.get_for_peer("missing", peer(2), 3), nullptr);
}

TEST(SeenCache, ExpiresAfterTtl) {
  SeenCache seen(seconds(120));
  const Clock::time_point t0{};
  EXPECT_TRUE(seen.add("a", t0));
  EXPECT_FALSE(seen.add("a", t0 + seconds(60)));
  EXPECT_TRUE(seen.add("b", t0 + seconds(60)));
  seen.expire(t0 + seconds(119));
  EXPECT_TRUE(seen.contains("a"));
  seen.expire(t0 + seconds(120));
  EXPECT_FALSE(seen.contains("a"));
  EXPECT_TRUE(seen.contains("b"));
  EXPECT_EQ(seen.size(), 1u);
}

TEST(GossipPromises, BreaksUnfulfilledPromisesAtTheirDeadline) {
  GossipPromises promises;
  const Clock::time_point t0{};
  promises.add(peer(1), "kept", t0 + seconds(3));
  promises.add(peer(1), "broken", t0 + seconds(3));
  promises.add(peer(2), "broken", t0 + seconds(3));
  promises.add(peer(2), "later", t0 + seconds(10));
  promises.fulfil("kept");
  EXPECT_TRUE(promises.take_broken(t0 + seconds(2)).empty());
  auto broken = promises.take_broken(t0 + seconds(3));
  EXPECT_EQ(broken, (std::map<identity::PeerId, size_t>{{peer(1), 1}, {peer(2), 1}}));
  EXPECT_EQ(promises.size(), 1u);
}

}  // namespace
}  // namespace prowl::pubsub
