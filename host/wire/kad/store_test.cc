#include <gtest/gtest.h>

#include "host/wire/kad/address_book.h"
#include "host/wire/kad/provider_store.h"
#include "host/wire/kad/record_store.h"
#include "host/wire/kad/testing.h"

namespace prowl::kad {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using testing::bytes;
using testing::test_address;
using testing::test_peer;

const Time kT0 = Time(hours(480000));

TEST(RecordStore, StoresUntilTheTtlAndReplaces) {
  RecordStore store(nullptr);
  ASSERT_TRUE(store.put(bytes("/k"), bytes("v1"), test_peer(1), kT0));
  EXPECT_EQ(store.get(bytes("/k"), kT0)->value, bytes("v1"));
  ASSERT_TRUE(store.put(bytes("/k"), bytes("v2"), test_peer(1), kT0 + hours(1)));
  EXPECT_EQ(store.get(bytes("/k"), kT0 + hours(2))->value, bytes("v2"));
  EXPECT_EQ(store.get(bytes("/k"), kT0 + hours(1) + kRecordTtl), std::nullopt);
  EXPECT_EQ(store.expire(kT0 + hours(2)), 0u);
  EXPECT_EQ(store.expire(kT0 + hours(1) + kRecordTtl), 1u);
  EXPECT_EQ(store.size(), 0u);
}

TEST(RecordStore, EnforcesSizeTotalAndPerPublisherLimits) {
  RecordStoreLimits limits;
  limits.max_records = 3;
  limits.max_records_per_publisher = 2;
  RecordStore store(nullptr, limits);
  std::string error;
  EXPECT_FALSE(store.put({}, bytes("v"), test_peer(1), kT0, &error));
  EXPECT_EQ(error, "record store: empty key");
  EXPECT_FALSE(store.put(bytes("/k"), std::vector<uint8_t>(kMaxValueBytes + 1), test_peer(1), kT0, &error));
  EXPECT_EQ(error, "record store: value of 16385 bytes exceeds 16384");
  EXPECT_FALSE(store.put(std::vector<uint8_t>(kMaxKeyBytes + 1, 'k'), bytes("v"), test_peer(1), kT0, &error));

  ASSERT_TRUE(store.put(bytes("/a"), bytes("v"), test_peer(1), kT0));
  ASSERT_TRUE(store.put(bytes("/b"), bytes("v"), test_peer(1), kT0));
  EXPECT_FALSE(store.put(bytes("/c"), bytes("v"), test_peer(1), kT0, &error));
  EXPECT_NE(error.find("already has 2 records"), std::string::npos) << error;
  EXPECT_NE(error.find("network.limits.max_kad_records_per_publisher = 2"), std::string::npos) << error;
  EXPECT_TRUE(store.put(bytes("/a"), bytes("w"), test_peer(1), kT0));  // replacing its own is fine
  ASSERT_TRUE(store.put(bytes("/c"), bytes("v"), test_peer(2), kT0));
  EXPECT_FALSE(store.put(bytes("/d"), bytes("v"), test_peer(3), kT0, &error));
  EXPECT_EQ(error, "record store: full (3 records)");
  EXPECT_TRUE(store.put(bytes("/c"), bytes("x"), test_peer(3), kT0));  // replacing frees nothing, adds nothing
  EXPECT_FALSE(store.put(bytes("/d"), bytes("v"), test_peer(2), kT0 + minutes(1)));
}

TEST(ProviderStore, ExpiresProvidersAfter48Hours) {
  ProviderStore store(nullptr);
  ASSERT_TRUE(store.add(bytes("cid"), test_peer(1), kT0));
  ASSERT_TRUE(store.add(bytes("cid"), test_peer(2), kT0 + hours(10)));
  EXPECT_EQ(store.providers(bytes("cid"), kT0 + hours(11), 10),
            (std::vector<identity::PeerId>{test_peer(2), test_peer(1)}));
  EXPECT_EQ(store.providers(bytes("cid"), kT0 + hours(48), 10),
            (std::vector<identity::PeerId>{test_peer(2)}));
  EXPECT_EQ(store.expire(kT0 + hours(48)), 1u);
  EXPECT_EQ(store.expire(kT0 + hours(58)), 1u);
  EXPECT_EQ(store.key_count(), 0u);
}

TEST(ProviderStore, AFullKeyForgetsTheSoonestToExpire) {
  ProviderStoreLimits limits;
  limits.max_providers_per_key = 2;
  limits.max_keys = 1;
  ProviderStore store(nullptr, limits);
  ASSERT_TRUE(store.add(bytes("cid"), test_peer(1), kT0));
  ASSERT_TRUE(store.add(bytes("cid"), test_peer(2), kT0 + hours(1)));
  ASSERT_TRUE(store.add(bytes("cid"), test_peer(1), kT0 + hours(2)));  // refresh: still two
  ASSERT_TRUE(store.add(bytes("cid"), test_peer(3), kT0 + hours(3)));
  EXPECT_EQ(store.providers(bytes("cid"), kT0 + hours(3), 10),
            (std::vector<identity::PeerId>{test_peer(3), test_peer(1)}));
  std::string error;
  EXPECT_FALSE(store.add(bytes("other"), test_peer(1), kT0, &error));
  EXPECT_EQ(error, "provider store: full (1 keys)");
}

TEST(ProviderStore, KeysWeProvideAreDueEvery22Hours) {
  ProviderStore store(nullptr);
  store.start_providing(bytes("mine"), kT0);
  store.mark_published(bytes("not mine"), kT0);
  EXPECT_TRUE(store.due_for_republish(kT0 + hours(21)).empty());
  EXPECT_EQ(store.due_for_republish(kT0 + hours(22)), std::vector<std::vector<uint8_t>>{bytes("mine")});
  store.mark_published(bytes("mine"), kT0 + hours(22));
  EXPECT_TRUE(store.due_for_republish(kT0 + hours(43)).empty());
  EXPECT_EQ(store.provided_keys(), std::vector<std::vector<uint8_t>>{bytes("mine")});
  store.stop_providing(bytes("mine"));
  EXPECT_TRUE(store.due_for_republish(kT0 + hours(100)).empty());
}

TEST(AddressBook, MergesAddressesNewestFirstWithinLimits) {
  AddressBook book(nullptr);
  const std::vector<multiaddr::Multiaddr> none;
  book.add(test_peer(1), none, kT0);
  EXPECT_EQ(book.size(), 0u);  // nothing to reach it by
  const std::vector<multiaddr::Multiaddr> first = {test_address(1), test_address(2), test_address(1)};
  book.add(test_peer(1), first, kT0);
  EXPECT_EQ(book.addresses(test_peer(1)), (std::vector<multiaddr::Multiaddr>{test_address(1), test_address(2)}));
  std::vector<multiaddr::Multiaddr> many;
  for (uint32_t i = 10; i < 20; ++i) many.push_back(test_address(i));
  book.add(test_peer(1), many, kT0 + minutes(1));
  const auto kept = book.addresses(test_peer(1));
  ASSERT_EQ(kept.size(), kMaxAddressesPerPeer);
  EXPECT_EQ(kept.front(), test_address(10));
  EXPECT_EQ(book.find(test_peer(1))->last_seen, kT0 + minutes(1));
}

TEST(AddressBook, ForgetsTheLeastRecentlySeenWhenFull) {
  AddressBookLimits limits;
  limits.max_peers = 2;
  AddressBook book(nullptr, limits);
  const std::vector<multiaddr::Multiaddr> a = {test_address(1)};
  book.add(test_peer(1), a, kT0);
  book.add(test_peer(2), a, kT0 + minutes(1));
  book.add(test_peer(1), a, kT0 + minutes(2));  // peer 2 is now the least recently seen
  book.add(test_peer(3), a, kT0 + minutes(3));
  EXPECT_TRUE(book.find(test_peer(1)));
  EXPECT_FALSE(book.find(test_peer(2)));
  const auto recent = book.most_recent(5);
  ASSERT_EQ(recent.size(), 2u);
  EXPECT_EQ(recent[0].id, test_peer(3));
  EXPECT_TRUE(book.remove(test_peer(3)));
  EXPECT_FALSE(book.remove(test_peer(3)));
}

}  // namespace
}  // namespace prowl::kad
