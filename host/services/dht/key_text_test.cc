#include "host/services/dht/key_text.h"

#include <gtest/gtest.h>

#include <string>

#include "host/base/identity/key_pair.h"
#include "host/base/identity/peer_id.h"
#include "host/wire/kad/constants.h"

namespace prowl::dht {
namespace {

TEST(KeyTextTest, PublicKeyKeysUseThePeerIdText) {
  const auto peer = identity::PeerId::from_public_key(identity::KeyPair::generate().public_key());
  const auto key = parse_key("/pk/" + peer.to_string());
  ASSERT_TRUE(key);
  EXPECT_EQ(key->size(), 4 + peer.bytes().size());
  EXPECT_EQ(key_text(*key), "/pk/" + peer.to_string());
}

TEST(KeyTextTest, HexAndPlainKeys) {
  EXPECT_EQ(*parse_key("0x0102ff"), (std::vector<uint8_t>{1, 2, 0xff}));
  EXPECT_EQ(key_text(std::vector<uint8_t>{1, 2, 0xff}), "0x0102ff");
  EXPECT_EQ(key_text(*parse_key("/prowl/a/b")), "/prowl/a/b");
  // Printable text that looks like hex is shown as hex, so it parses back.
  const auto tricky = std::vector<uint8_t>{'0', 'x', '1'};
  EXPECT_EQ(*parse_key(key_text(tricky)), tricky);
}

TEST(KeyTextTest, RejectsBadKeysSayingWhy) {
  std::string error;
  EXPECT_FALSE(parse_key("", &error));
  EXPECT_EQ(error, "the key is empty");
  EXPECT_FALSE(parse_key("/pk/notapeer", &error));
  EXPECT_NE(error.find("bad peer id after /pk/"), std::string::npos);
  EXPECT_FALSE(parse_key("0xzz", &error));
  EXPECT_NE(error.find("bad hex"), std::string::npos);
  EXPECT_FALSE(parse_key(std::string(kad::kMaxKeyBytes + 1, 'a'), &error));
  EXPECT_NE(error.find("the limit is"), std::string::npos);
}

}  // namespace
}  // namespace prowl::dht
