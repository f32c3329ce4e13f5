#include "host/wire/kad/message.h"

#include <gtest/gtest.h>

#include "host/base/encoding/hex.h"
#include "host/wire/kad/constants.h"
#include "host/wire/kad/testing.h"

namespace prowl::kad {
namespace {

using testing::bytes;
using testing::test_address;
using testing::test_peer;

std::vector<uint8_t> unhex(const std::string& text) { return *encoding::hex_decode(text); }

// Appends a protobuf length-delimited field.
void field(std::vector<uint8_t>& out, uint8_t tag, const std::vector<uint8_t>& value) {
  out.push_back(tag);
  size_t n = value.size();
  while (n >= 0x80) {
    out.push_back(static_cast<uint8_t>(n | 0x80));
    n >>= 7;
  }
  out.push_back(static_cast<uint8_t>(n));
  out.insert(out.end(), value.begin(), value.end());
}

std::vector<uint8_t> peer_field(const std::vector<uint8_t>& id, const std::vector<uint8_t>& addr) {
  std::vector<uint8_t> peer;
  field(peer, 0x0a, id);
  if (!addr.empty()) field(peer, 0x12, addr);
  return peer;
}

TEST(KadMessage, EncodesTheSpecFieldNumbers) {
  Message find{MessageType::kFindNode, bytes("abc"), std::nullopt, {}, {}};
  EXPECT_EQ(encoding::hex_encode(encode_message(find)), "0804" "1203616263");
  // PUT_VALUE is the proto3 default, so its type is implicit; the record is field 3.
  Message put{MessageType::kPutValue, bytes("k"), Record{bytes("k"), bytes("v"), ""}, {}, {}};
  EXPECT_EQ(encoding::hex_encode(encode_message(put)), "12016b" "1a06" "0a016b" "120176");
}

TEST(KadMessage, RoundTripsEveryField) {
  Message m;
  m.type = MessageType::kGetProviders;
  m.key = bytes("/pk/some key");
  m.record = Record{m.key, bytes("value"), "2024-05-01T12:00:00.250Z"};
  m.closer_peers.push_back(PeerInfo{test_peer(1), {test_address(1), test_address(2)},
                                    ConnectionType::kConnected});
  m.provider_peers.push_back(PeerInfo{test_peer(2), {}, ConnectionType::kCannotConnect});
  auto decoded = decode_message(encode_message(m));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->message, m);
  EXPECT_TRUE(decoded->skipped.empty());
}

TEST(KadMessage, ReadsExplicitDefaultsAsOtherImplementationsWriteThem) {
  // type=0 written explicitly, clusterLevelRaw=0 (field 10) present.
  auto decoded = decode_message(unhex("0800" "5000" "12016b"));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->message.type, MessageType::kPutValue);
  EXPECT_EQ(decoded->message.key, bytes("k"));
}

TEST(KadMessage, RefusesWhatBreaksTheLimits) {
  std::string error;
  EXPECT_FALSE(decode_message(std::vector<uint8_t>(kMaxMessageBytes + 1, 0), &error));
  EXPECT_NE(error.find("exceeds the limit of 65536"), std::string::npos) << error;
  EXPECT_FALSE(decode_message(unhex("0800" "12016b"), &error, 4));
  EXPECT_EQ(error, "kad message: message of 5 bytes exceeds the limit of 4");
  EXPECT_TRUE(decode_message(unhex("0800" "12016b"), &error, 5));
  EXPECT_FALSE(decode_message(unhex("0809"), &error));
  EXPECT_NE(error.find("type 9 is not a kad message type"), std::string::npos) << error;
  EXPECT_FALSE(decode_message(unhex("0a"), &error));
  EXPECT_NE(error.find("not a valid Message protobuf"), std::string::npos) << error;

  std::vector<uint8_t> long_key;
  field(long_key, 0x12, std::vector<uint8_t>(kMaxKeyBytes + 1, 'k'));
  EXPECT_FALSE(decode_message(long_key, &error));
  EXPECT_NE(error.find("key of 1025 bytes"), std::string::npos) << error;

  std::vector<uint8_t> record, big_value;
  field(record, 0x12, std::vector<uint8_t>(kMaxValueBytes + 1, 'v'));
  field(big_value, 0x1a, record);
  EXPECT_FALSE(decode_message(big_value, &error));
  EXPECT_NE(error.find("record.value of 16385 bytes"), std::string::npos) << error;
}

TEST(KadMessage, DropsUnusablePeersAndAddressesAndSaysWhy) {
  const auto good_id = test_peer(1).bytes();
  std::vector<uint8_t> m;
  field(m, 0x42, peer_field(bytes("not a multihash"), {}));                   // closerPeers[0]
  field(m, 0x42, peer_field(good_id, bytes("\xff\xff garbage")));             // closerPeers[1]
  field(m, 0x42, peer_field(good_id, std::vector<uint8_t>(kMaxAddressBytes + 1, 4)));
  for (uint32_t i = 0; i < 25; ++i) field(m, 0x4a, peer_field(test_peer(i).bytes(), test_address(i).bytes()));
  auto decoded = decode_message(m);
  ASSERT_TRUE(decoded);
  ASSERT_EQ(decoded->message.closer_peers.size(), 2u);
  EXPECT_TRUE(decoded->message.closer_peers[0].addresses.empty());
  EXPECT_EQ(decoded->message.provider_peers.size(), kMaxPeersPerMessage);
  ASSERT_EQ(decoded->skipped.size(), 4u);
  EXPECT_EQ(decoded->skipped[0].rfind("closerPeers[0].id: peer id", 0), 0u) << decoded->skipped[0];
  EXPECT_EQ(decoded->skipped[1].rfind("closerPeers[1].addrs[0]: ", 0), 0u) << decoded->skipped[1];
  EXPECT_NE(decoded->skipped[2].find("exceeds 160"), std::string::npos) << decoded->skipped[2];
  EXPECT_EQ(decoded->skipped[3], "providerPeers[20]: more than 20 peers");
}

TEST(KadMessage, KeepsAtMostEightAddressesPerPeer) {
  PeerInfo peer{test_peer(1), {}, ConnectionType::kNotConnected};
  for (uint32_t i = 0; i < 12; ++i) peer.addresses.push_back(test_address(i));
  Message m{MessageType::kFindNode, bytes("x"), std::nullopt, {peer}, {}};
  auto decoded = decode_message(encode_message(m));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->message.closer_peers[0].addresses.size(), kMaxAddressesPerPeer);
  EXPECT_EQ(decoded->skipped.size(), 1u);
}

}  // namespace
}  // namespace prowl::kad
