#include "host/wire/kad/query.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "host/wire/kad/signed_value.h"
#include "host/wire/kad/signed_value_validator.h"
#include "host/wire/kad/testing.h"

namespace prowl::kad {
namespace {

using std::chrono::seconds;
using testing::bytes;
using testing::test_address;
using testing::test_key;
using testing::test_peer;
using Status = QueryResult::Status;

const Time kT0 = Time(std::chrono::hours(480000));

PeerInfo info(uint32_t n) { return PeerInfo{test_peer(n), {test_address(n)}, ConnectionType::kNotConnected}; }

// Test peers first..last, closest to `key` first.
std::vector<PeerInfo> by_distance(uint32_t first, uint32_t last, const std::vector<uint8_t>& key) {
  std::vector<PeerInfo> out;
  for (uint32_t n = first; n <= last; ++n) out.push_back(info(n));
  const Key target = Key::from_bytes(key);
  std::sort(out.begin(), out.end(), [&](const PeerInfo& a, const PeerInfo& b) {
    return Key::from_peer(a.id).distance(target) < Key::from_peer(b.id).distance(target);
  });
  return out;
}

Message answer(MessageType type, std::vector<PeerInfo> closer = {}) {
  return Message{type, {}, std::nullopt, std::move(closer), {}};
}

TEST(KadQuery, WithoutPeersFinishesAtOnce) {
  auto q = Query::find_closest_peers(test_peer(0), bytes("target"));
  EXPECT_TRUE(q.poll(kT0).empty());
  EXPECT_TRUE(q.finished());
  EXPECT_EQ(q.result().status, Status::kFinished);
  EXPECT_TRUE(q.result().closest.empty());
}

TEST(KadQuery, KeepsAlphaRequestsInFlightToTheClosest) {
  const auto key = bytes("target");
  const auto seeds = by_distance(1, 10, key);
  auto q = Query::find_closest_peers(test_peer(0), key);
  q.add_seeds(seeds);
  q.add_seeds({info(0)});  // ourselves: skipped
  auto requests = q.poll(kT0);
  ASSERT_EQ(requests.size(), kAlpha);
  for (size_t i = 0; i < kAlpha; ++i) {
    EXPECT_EQ(requests[i].peer.id, seeds[i].id);
    EXPECT_EQ(requests[i].peer.addresses, seeds[i].addresses);
    EXPECT_EQ(requests[i].message.type, MessageType::kFindNode);
    EXPECT_EQ(requests[i].message.key, key);
  }
  EXPECT_TRUE(q.poll(kT0).empty());  // nothing more until an answer
  q.on_response(requests[0].id, answer(MessageType::kFindNode), kT0);
  auto next = q.poll(kT0);
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].peer.id, seeds[3].id);
}

TEST(KadQuery, ConvergesWhenTheKClosestHaveAnswered) {
  const auto key = bytes("target");
  const auto seeds = by_distance(1, 6, key);
  QueryConfig config;
  config.k = 3;
  auto q = Query::find_closest_peers(test_peer(0), key, config);
  q.add_seeds(seeds);
  for (const auto& r : q.poll(kT0)) q.on_response(r.id, answer(MessageType::kFindNode), kT0);
  EXPECT_TRUE(q.poll(kT0).empty());
  ASSERT_TRUE(q.finished());
  const auto& result = q.result();
  ASSERT_EQ(result.closest.size(), 3u);
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(result.closest[i].id, seeds[i].id);
  EXPECT_EQ(result.requests, 3u);
  EXPECT_EQ(result.hops, 1u);
}

TEST(KadQuery, FollowsCloserPeersAndCountsHops) {
  // target is peer 3's id: a seed (1) names 2, which names 3.
  const auto key = test_peer(3).bytes();
  QueryConfig config;
  config.k = 1;
  auto q = Query::find_closest_peers(test_peer(0), key, config);
  q.add_seeds({info(1)});
  const std::vector<uint32_t> chain = {1, 2, 3};
  for (size_t hop = 0; hop < chain.size(); ++hop) {
    auto requests = q.poll(kT0);
    ASSERT_EQ(requests.size(), 1u) << "hop " << hop;
    ASSERT_EQ(requests[0].peer.id, test_peer(chain[hop]));
    std::vector<PeerInfo> closer;
    if (hop + 1 < chain.size()) closer.push_back(info(chain[hop + 1]));
    q.on_response(requests[0].id, answer(MessageType::kFindNode, closer), kT0);
  }
  q.poll(kT0);
  ASSERT_TRUE(q.finished());
  EXPECT_EQ(q.result().closest.front().id, test_peer(3));
  EXPECT_EQ(q.result().hops, 3u);
  EXPECT_EQ(q.result().requests, 3u);
}

TEST(KadQuery, TimesOutSlowPeersThenTheWholeQuery) {
  const auto key = bytes("target");
  const auto seeds = by_distance(1, 4, key);
  QueryConfig config;
  config.request_timeout = std::chrono::milliseconds(1000);
  config.query_timeout = std::chrono::milliseconds(5000);
  auto q = Query::find_closest_peers(test_peer(0), key, config);
  q.add_seeds(seeds);
  const auto first = q.poll(kT0);
  ASSERT_EQ(first.size(), 3u);
  EXPECT_EQ(q.next_deadline(), kT0 + seconds(1));
  const auto second = q.poll(kT0 + seconds(1));
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].peer.id, seeds[3].id);
  EXPECT_EQ(q.result().failures, 3u);
  q.on_response(first[0].id, answer(MessageType::kFindNode), kT0 + seconds(1));  // too late: ignored
  EXPECT_EQ(q.result().responses, 0u);
  EXPECT_EQ(q.next_deadline(), kT0 + seconds(2));
  EXPECT_TRUE(q.poll(kT0 + seconds(5)).empty());
  EXPECT_EQ(q.result().status, Status::kTimedOut);
  EXPECT_EQ(q.next_deadline(), std::nullopt);
}

TEST(KadQuery, AnAnswerOfTheWrongTypeIsAFailure) {
  auto q = Query::find_closest_peers(test_peer(0), bytes("t"));
  q.add_seeds({info(1)});
  const auto requests = q.poll(kT0);
  q.on_response(requests[0].id, answer(MessageType::kGetValue), kT0);
  q.poll(kT0);
  EXPECT_TRUE(q.finished());
  EXPECT_EQ(q.result().failures, 1u);
  EXPECT_TRUE(q.result().closest.empty());
}

TEST(KadQuery, GetValueStopsAtQuorumWithTheBestValue) {
  SignedValueValidator validator;
  const auto key = SignedValue::record_key(test_peer(50), "status");
  const auto seeds = by_distance(1, 6, key);
  QueryConfig config;
  config.quorum = 2;
  auto q = Query::get_value(test_peer(0), key, validator, config);
  q.add_seeds(seeds);
  const auto requests = q.poll(kT0);
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].message.type, MessageType::kGetValue);
  const auto old_value = SignedValue::sign(test_key(50), key, bytes("old"), 1).encode();
  const auto new_value = SignedValue::sign(test_key(50), key, bytes("new"), 2).encode();
  const auto forged = SignedValue::sign(test_key(51), key, bytes("forged"), 9).encode();
  auto with = [&](const std::vector<uint8_t>& value) {
    Message m = answer(MessageType::kGetValue);
    m.record = Record{key, value, ""};
    return m;
  };
  q.on_response(requests[0].id, with(forged), kT0);
  q.on_response(requests[1].id, with(old_value), kT0);
  EXPECT_FALSE(q.poll(kT0).empty());  // one valid record: keep looking
  q.on_response(requests[2].id, with(new_value), kT0);
  q.poll(kT0);
  ASSERT_TRUE(q.finished());
  const auto& result = q.result();
  ASSERT_EQ(result.records.size(), 2u);
  EXPECT_EQ(result.best_value, new_value);
  EXPECT_EQ(result.outdated, std::vector<identity::PeerId>{seeds[1].id});
}

TEST(KadQuery, PutValueStoresOnTheClosestThatAnswered) {
  const Record record{bytes("/prowl/x/y"), bytes("v"), ""};
  const auto seeds = by_distance(1, 5, record.key);
  QueryConfig config;
  config.k = 3;
  auto q = Query::put_value(test_peer(0), record, config);
  q.add_seeds(seeds);
  auto lookup = q.poll(kT0);
  ASSERT_EQ(lookup.size(), 3u);
  q.on_failure(lookup[1].id, kT0);  // the second closest is unreachable
  q.on_response(lookup[0].id, answer(MessageType::kFindNode), kT0);
  q.on_response(lookup[2].id, answer(MessageType::kFindNode), kT0);
  auto more = q.poll(kT0);
  ASSERT_EQ(more.size(), 1u);
  EXPECT_EQ(more[0].peer.id, seeds[3].id);
  q.on_response(more[0].id, answer(MessageType::kFindNode), kT0);
  auto puts = q.poll(kT0);
  ASSERT_EQ(puts.size(), 3u);
  EXPECT_EQ(puts[0].peer.id, seeds[0].id);
  EXPECT_EQ(puts[1].peer.id, seeds[2].id);
  EXPECT_EQ(puts[2].peer.id, seeds[3].id);
  for (const auto& put : puts) {
    EXPECT_EQ(put.message.type, MessageType::kPutValue);
    EXPECT_EQ(put.message.record, record);
  }
  q.on_response(puts[0].id, puts[0].message, kT0);  // an echo acknowledges
  q.on_response(puts[1].id, puts[1].message, kT0);
  q.on_failure(puts[2].id, kT0);
  q.poll(kT0);
  ASSERT_TRUE(q.finished());
  EXPECT_EQ(q.result().stored, 2u);
}

TEST(KadQuery, AddProviderSendsWithoutWaitingForAnswers) {
  const auto key = bytes("cid");
  const PeerInfo self = info(0);
  QueryConfig config;
  config.k = 2;
  auto q = Query::add_provider(test_peer(0), key, self, config);
  q.add_seeds(by_distance(1, 2, key));
  for (const auto& r : q.poll(kT0)) q.on_response(r.id, answer(MessageType::kFindNode), kT0);
  const auto adds = q.poll(kT0);
  ASSERT_EQ(adds.size(), 2u);
  for (const auto& add : adds) {
    EXPECT_FALSE(add.expects_response);
    EXPECT_EQ(add.message.type, MessageType::kAddProvider);
    EXPECT_EQ(add.message.provider_peers, std::vector<PeerInfo>{self});
  }
  EXPECT_TRUE(q.finished());
  EXPECT_EQ(q.result().stored, 2u);
}

TEST(KadQuery, GetProvidersStopsWhenEnoughAreFound) {
  const auto key = bytes("cid");
  QueryConfig config;
  config.max_providers = 2;
  auto q = Query::get_providers(test_peer(0), key, config);
  q.add_seeds(by_distance(1, 5, key));
  const auto requests = q.poll(kT0);
  Message m = answer(MessageType::kGetProviders);
  m.provider_peers = {info(40), info(40), info(41), info(42)};
  q.on_response(requests[0].id, m, kT0);
  q.poll(kT0);
  ASSERT_TRUE(q.finished());
  EXPECT_EQ(q.result().providers, (std::vector<PeerInfo>{info(40), info(41)}));
}

}  // namespace
}  // namespace prowl::kad
