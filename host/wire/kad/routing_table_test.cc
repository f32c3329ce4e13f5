#include "host/wire/kad/routing_table.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "host/wire/kad/testing.h"

namespace prowl::kad {
namespace {

using testing::test_peer;
using Outcome = ObserveResult::Outcome;

const Time kT0 = Time(std::chrono::hours(500000));

// The first `count` test peers (seeds from `start`) that fall into `bucket` of `table`.
std::vector<identity::PeerId> peers_in_bucket(const RoutingTable& table, size_t bucket, size_t count,
                                              uint32_t start = 1000) {
  std::vector<identity::PeerId> out;
  for (uint32_t n = start; out.size() < count; ++n) {
    auto peer = test_peer(n);
    if (table.bucket_index(peer) == bucket) out.push_back(peer);
  }
  return out;
}

TEST(RoutingTable, PlacesPeersBySharedPrefixLength) {
  RoutingTable table(test_peer(0), 64);  // room for every peer
  EXPECT_EQ(table.bucket_index(test_peer(0)), std::nullopt);
  EXPECT_EQ(table.observe(test_peer(0), PeerMode::kServer, kT0).outcome, Outcome::kIgnored);
  for (uint32_t n = 1; n < 50; ++n) {
    const auto peer = test_peer(n);
    const size_t expected = leading_zeros(Key::from_peer(test_peer(0)).distance(Key::from_peer(peer)));
    EXPECT_EQ(table.bucket_index(peer), expected);
    table.observe(peer, PeerMode::kServer, kT0);
    const auto& bucket = table.bucket(expected);
    EXPECT_TRUE(std::any_of(bucket.begin(), bucket.end(), [&](const auto& e) { return e.peer == peer; }));
  }
  EXPECT_EQ(table.size(), 49u);
}

TEST(RoutingTable, KeepsOnlyServerModePeers) {
  RoutingTable table(test_peer(0));
  EXPECT_EQ(table.observe(test_peer(1), PeerMode::kClient, kT0).outcome, Outcome::kIgnored);
  EXPECT_FALSE(table.contains(test_peer(1)));
  EXPECT_EQ(table.observe(test_peer(1), PeerMode::kServer, kT0).outcome, Outcome::kAdded);
  EXPECT_EQ(table.observe(test_peer(1), PeerMode::kServer, kT0).outcome, Outcome::kRefreshed);
  // A peer that switched to client mode leaves the table.
  EXPECT_EQ(table.observe(test_peer(1), PeerMode::kClient, kT0).outcome, Outcome::kRemoved);
  EXPECT_FALSE(table.contains(test_peer(1)));
  EXPECT_EQ(table.size(), 0u);
}

TEST(RoutingTable, FullBucketPingsTheLeastRecentlySeenBeforeEvicting) {
  RoutingTable table(test_peer(0));
  const auto peers = peers_in_bucket(table, 0, kBucketSize + 2);
  for (size_t i = 0; i < kBucketSize; ++i) {
    EXPECT_EQ(table.observe(peers[i], PeerMode::kServer, kT0 + std::chrono::seconds(i)).outcome,
              Outcome::kAdded);
  }
  // Seeing peers[0] again makes peers[1] the least recently seen.
  table.observe(peers[0], PeerMode::kServer, kT0 + std::chrono::minutes(1));
  auto result = table.observe(peers[kBucketSize], PeerMode::kServer, kT0 + std::chrono::minutes(2));
  EXPECT_EQ(result.outcome, Outcome::kPending);
  ASSERT_EQ(result.ping, peers[1]);
  // A second newcomer waits too, without a second ping.
  result = table.observe(peers[kBucketSize + 1], PeerMode::kServer, kT0 + std::chrono::minutes(2));
  EXPECT_EQ(result.outcome, Outcome::kPending);
  EXPECT_EQ(result.ping, std::nullopt);
  EXPECT_FALSE(table.contains(peers[kBucketSize + 1]));

  // The pinged peer answers: it stays, as most recently seen; the newcomer is dropped.
  table.on_ping_result(peers[1], true, kT0 + std::chrono::minutes(3));
  EXPECT_TRUE(table.contains(peers[1]));
  EXPECT_EQ(table.bucket(0).back().peer, peers[1]);
  EXPECT_FALSE(table.contains(peers[kBucketSize + 1]));
  EXPECT_EQ(table.size(), kBucketSize);

  // Next time the least recently seen (peers[2]) does not answer: the newcomer replaces it.
  result = table.observe(peers[kBucketSize], PeerMode::kServer, kT0 + std::chrono::minutes(4));
  ASSERT_EQ(result.ping, peers[2]);
  table.on_ping_result(peers[0], false, kT0);  // not the pinged peer: ignored
  EXPECT_TRUE(table.contains(peers[0]));
  table.on_ping_result(peers[2], false, kT0 + std::chrono::minutes(5));
  EXPECT_FALSE(table.contains(peers[2]));
  EXPECT_TRUE(table.contains(peers[kBucketSize]));
  EXPECT_EQ(table.size(), kBucketSize);
}

TEST(RoutingTable, ClosestMatchesBruteForce) {
  RoutingTable table(test_peer(0));
  std::vector<identity::PeerId> all;
  for (uint32_t n = 1; n <= 300; ++n) {
    if (table.observe(test_peer(n), PeerMode::kServer, kT0).outcome == Outcome::kAdded) {
      all.push_back(test_peer(n));
    }
  }
  const Key target = Key::from_bytes(testing::bytes("some target"));
  std::sort(all.begin(), all.end(), [&](const auto& a, const auto& b) {
    return Key::from_peer(a).distance(target) < Key::from_peer(b).distance(target);
  });
  const auto closest = table.closest(target, kBucketSize);
  ASSERT_EQ(closest.size(), kBucketSize);
  for (size_t i = 0; i < kBucketSize; ++i) EXPECT_EQ(closest[i].peer, all[i]);
  EXPECT_EQ(table.closest(target, 1000).size(), table.size());
}

TEST(RoutingTable, RemoveLetsAWaitingNewcomerIn) {
  RoutingTable table(test_peer(0));
  const auto peers = peers_in_bucket(table, 0, kBucketSize + 1);
  for (size_t i = 0; i < kBucketSize; ++i) table.observe(peers[i], PeerMode::kServer, kT0);
  table.observe(peers[kBucketSize], PeerMode::kServer, kT0);
  EXPECT_TRUE(table.remove(peers[5]));
  EXPECT_FALSE(table.remove(peers[5]));
  EXPECT_TRUE(table.contains(peers[kBucketSize]));
  EXPECT_EQ(table.size(), kBucketSize);
}

}  // namespace
}  // namespace prowl::kad
