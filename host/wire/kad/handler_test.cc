#include "host/wire/kad/handler.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <regex>

#include "host/wire/kad/signed_value.h"
#include "host/wire/kad/testing.h"
#include "host/wire/kad/validator_set.h"

namespace prowl::kad {
namespace {

using std::chrono::hours;
using testing::bytes;
using testing::test_address;
using testing::test_key;
using testing::test_peer;

const Time kT0 = Time(hours(480000));

class KadHandler : public ::testing::Test {
 protected:
  KadHandler()
      : table_(test_peer(0)), book_(nullptr), records_(nullptr), providers_(nullptr),
        validators_(ValidatorSet::with_defaults()),
        handler_(table_, book_, records_, providers_, validators_,
                 [] { return std::vector<multiaddr::Multiaddr>{test_address(0)}; }) {
    for (uint32_t n = 1; n <= 60; ++n) {
      table_.observe(test_peer(n), PeerMode::kServer, kT0);
      const std::vector<multiaddr::Multiaddr> addresses = {test_address(n)};
      book_.add(test_peer(n), addresses, kT0);
    }
  }

  HandlerResult put(const identity::PeerId& from, const std::vector<uint8_t>& key,
                    std::vector<uint8_t> value) {
    return handler_.handle(from, Message{MessageType::kPutValue, key, Record{key, std::move(value), ""}, {}, {}}, kT0);
  }

  RoutingTable table_;
  AddressBook book_;
  RecordStore records_;
  ProviderStore providers_;
  ValidatorSet validators_;
  Handler handler_;
};

TEST_F(KadHandler, FindNodeReturnsTheClosestPeersExceptTheRequester) {
  const auto target = test_peer(500).bytes();
  const auto from = table_.closest(Key::from_bytes(target), 1).front().peer;
  auto result = handler_.handle(from, Message{MessageType::kFindNode, target, std::nullopt, {}, {}}, kT0);
  ASSERT_TRUE(result.response) << result.error;
  const auto& closer = result.response->closer_peers;
  ASSERT_EQ(closer.size(), kBucketSize);
  const auto expected = table_.closest(Key::from_bytes(target), kBucketSize + 1);
  for (size_t i = 0; i < kBucketSize; ++i) {
    EXPECT_EQ(closer[i].id, expected[i + 1].peer);
    EXPECT_EQ(closer[i].addresses, book_.addresses(closer[i].id));
  }
}

TEST_F(KadHandler, PutThenGetAValidRecord) {
  const auto peer = test_peer(9);
  std::vector<uint8_t> key = bytes("/pk/");
  key.insert(key.end(), peer.bytes().begin(), peer.bytes().end());
  auto stored = put(test_peer(9), key, test_key(9).public_key().to_protobuf());
  ASSERT_TRUE(stored.error.empty()) << stored.error;
  ASSERT_TRUE(stored.response);
  EXPECT_EQ(stored.response->record->value, test_key(9).public_key().to_protobuf());  // echoed

  auto got = handler_.handle(test_peer(2), Message{MessageType::kGetValue, key, std::nullopt, {}, {}}, kT0 + hours(1));
  ASSERT_TRUE(got.response);
  ASSERT_TRUE(got.response->record);
  EXPECT_EQ(got.response->record->value, test_key(9).public_key().to_protobuf());
  EXPECT_EQ(got.response->record->time_received, "2024-10-04T00:00:00.000Z");
  EXPECT_TRUE(std::regex_match(got.response->record->time_received,
                               std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")));
  EXPECT_EQ(got.response->closer_peers.size(), kBucketSize);
}

TEST_F(KadHandler, RefusesInvalidAndOlderRecords) {
  const auto peer = test_peer(9);
  std::vector<uint8_t> pk = bytes("/pk/");
  pk.insert(pk.end(), peer.bytes().begin(), peer.bytes().end());
  auto refused = put(test_peer(1), pk, test_key(8).public_key().to_protobuf());
  EXPECT_FALSE(refused.response);
  EXPECT_EQ(refused.error, "PUT_VALUE refused: /pk/ record: the key's peer id does not match the public key");
  EXPECT_FALSE(records_.get(pk, kT0));
  EXPECT_EQ(put(test_peer(1), bytes("/ipns/x"), bytes("v")).error,
            "PUT_VALUE refused: no validator for record namespace 'ipns'");

  const auto key = SignedValue::record_key(test_peer(5), "status");
  ASSERT_TRUE(put(test_peer(1), key, SignedValue::sign(test_key(5), key, bytes("new"), 5).encode()).error.empty());
  EXPECT_EQ(put(test_peer(1), key, SignedValue::sign(test_key(5), key, bytes("old"), 4).encode()).error,
            "PUT_VALUE refused: the stored record is better");
  ASSERT_TRUE(put(test_peer(2), key, SignedValue::sign(test_key(5), key, bytes("newer"), 6).encode()).error.empty());
  EXPECT_EQ(SignedValue::decode(records_.get(key, kT0)->value)->value(), bytes("newer"));

  Message mismatched{MessageType::kPutValue, bytes("/a"), Record{bytes("/b"), bytes("v"), ""}, {}, {}};
  EXPECT_EQ(handler_.handle(test_peer(1), mismatched, kT0).error,
            "PUT_VALUE record key differs from the message key");
  EXPECT_EQ(handler_.handle(test_peer(1), Message{MessageType::kGetValue, {}, std::nullopt, {}, {}}, kT0).error,
            "kad request without a key");
}

TEST_F(KadHandler, ProvidersAreAcceptedOnlyForTheSender) {
  const auto key = bytes("some cid");
  const PeerInfo self{test_peer(70), {test_address(70)}, ConnectionType::kNotConnected};
  const PeerInfo other{test_peer(71), {test_address(71)}, ConnectionType::kNotConnected};
  auto result = handler_.handle(test_peer(70), Message{MessageType::kAddProvider, key, std::nullopt, {}, {other, self}}, kT0);
  EXPECT_TRUE(result.error.empty()) << result.error;
  EXPECT_FALSE(result.response);  // ADD_PROVIDER has no response
  result = handler_.handle(test_peer(72), Message{MessageType::kAddProvider, key, std::nullopt, {}, {other}}, kT0);
  EXPECT_EQ(result.error, "ADD_PROVIDER names no provider record for the sender");

  auto got = handler_.handle(test_peer(3), Message{MessageType::kGetProviders, key, std::nullopt, {}, {}}, kT0 + hours(1));
  ASSERT_TRUE(got.response);
  ASSERT_EQ(got.response->provider_peers.size(), 1u);
  EXPECT_EQ(got.response->provider_peers[0], self);
  EXPECT_EQ(got.response->closer_peers.size(), kBucketSize);
  got = handler_.handle(test_peer(3), Message{MessageType::kGetProviders, key, std::nullopt, {}, {}}, kT0 + kProviderTtl);
  EXPECT_TRUE(got.response->provider_peers.empty());
}

TEST_F(KadHandler, LocalProviderIsAnsweredWithTheLocalAddresses) {
  const auto key = bytes("local cid");
  std::string why;
  ASSERT_TRUE(providers_.add(key, test_peer(0), kT0, &why)) << why;
  auto got = handler_.handle(test_peer(3), Message{MessageType::kGetProviders, key, std::nullopt, {}, {}}, kT0);
  ASSERT_TRUE(got.response);
  ASSERT_EQ(got.response->provider_peers.size(), 1u);
  EXPECT_EQ(got.response->provider_peers[0].id, test_peer(0));
  EXPECT_EQ(got.response->provider_peers[0].addresses, std::vector<multiaddr::Multiaddr>{test_address(0)});
}

TEST_F(KadHandler, PingIsEchoed) {
  auto result = handler_.handle(test_peer(1), Message{}, kT0);
  ASSERT_TRUE(result.response);
  EXPECT_EQ(result.response->type, MessageType::kPing);
}

TEST(KadHandlerLimits, TheLargestResponsesFitInAMessage) {
  // Peers with 8 addresses of the longest size kept.
  std::string host(kMaxAddressBytes, 'a');
  auto longest = multiaddr::Multiaddr::parse("/dns/" + host + "/tcp/1");
  while (!longest || longest->bytes().size() > kMaxAddressBytes) {
    host.pop_back();
    longest = multiaddr::Multiaddr::parse("/dns/" + host + "/tcp/1");
  }
  std::vector<PeerInfo> peers;
  for (uint32_t i = 0; i < kMaxPeersPerMessage; ++i) {
    peers.push_back(PeerInfo{test_peer(i), std::vector<multiaddr::Multiaddr>(kMaxAddressesPerPeer, *longest),
                             ConnectionType::kConnected});
  }
  const std::vector<uint8_t> key(kMaxKeyBytes, 'k');
  // GET_VALUE: the largest record and k closer peers.
  const Message value{MessageType::kGetValue, key,
                      Record{key, std::vector<uint8_t>(kMaxValueBytes, 'v'), "2024-10-04T00:00:00.000Z"},
                      peers, {}};
  // GET_PROVIDERS: k providers and k closer peers.
  const Message providers{MessageType::kGetProviders, key, std::nullopt, peers, peers};
  for (const Message& m : {value, providers}) {
    const auto encoded = encode_message(m);
    EXPECT_LE(encoded.size(), kMaxMessageBytes);
    auto decoded = decode_message(encoded);
    ASSERT_TRUE(decoded);
    EXPECT_EQ(decoded->message, m);
  }
}

}  // namespace
}  // namespace prowl::kad
