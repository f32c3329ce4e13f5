#include "host/wire/pubsub/message_signing.h"

#include <gtest/gtest.h>

#include "host/base/identity/test_keys.h"
namespace prowl::pubsub {
namespace {

using identity::test_keys::key_from_fill;

pb::Message signed_message(const identity::KeyPair& key) {
  pb::Message m;
  m.set_data("wolf howl");
  m.set_seqno(encode_seqno(7));
  m.set_topic("howl/pack");
  sign_message(key, m);
  return m;
}

TEST(MessageSigning, SignsPrefixedMessageWithoutSignatureAndKey) {
  const auto key = key_from_fill(1);
  const pb::Message m = signed_message(key);
  const auto id = identity::PeerId::from_public_key(key.public_key());
  EXPECT_EQ(m.from(), std::string(id.bytes().begin(), id.bytes().end()));
  EXPECT_FALSE(m.has_key());
  ASSERT_EQ(m.signature().size(), 64u);

  pb::Message unsigned_copy = m;
  unsigned_copy.clear_signature();
  const std::string payload = "libp2p-pubsub:" + unsigned_copy.SerializeAsString();
  EXPECT_TRUE(key.public_key().verify(
      {reinterpret_cast<const uint8_t*>(payload.data()), payload.size()},
      {reinterpret_cast<const uint8_t*>(m.signature().data()), m.signature().size()}));

  std::string error;
  auto author = verify_message(m, &error);
  ASSERT_TRUE(author) << error;
  EXPECT_EQ(*author, id);
}

TEST(MessageSigning, AcceptsMatchingExplicitKey) {
  const auto key = key_from_fill(2);
  pb::Message m = signed_message(key);
  const auto pk = key.public_key().to_protobuf();
  m.set_key(std::string(pk.begin(), pk.end()));
  EXPECT_TRUE(verify_message(m));
}

TEST(MessageSigning, RefusesForgeriesAndMissingFields) {
  const auto key = key_from_fill(3);
  std::string error;

  pb::Message m = signed_message(key);
  m.set_data("forged howl");
  EXPECT_FALSE(verify_message(m, &error));
  EXPECT_EQ(error, "message signature: invalid signature");

  m = signed_message(key);
  m.clear_signature();
  EXPECT_FALSE(verify_message(m, &error));
  EXPECT_EQ(error, "message signature: signature missing");

  m = signed_message(key);
  m.set_seqno("\x01\x02");
  EXPECT_FALSE(verify_message(m, &error));
  EXPECT_NE(error.find("seqno has 2 bytes"), std::string::npos) << error;

  m = signed_message(key);
  m.clear_from();
  EXPECT_FALSE(verify_message(m, &error));
  EXPECT_NE(error.find("`from` missing"), std::string::npos) << error;

  m = signed_message(key);
  const auto other = key_from_fill(4).public_key().to_protobuf();
  m.set_key(std::string(other.begin(), other.end()));
  EXPECT_FALSE(verify_message(m, &error));
  EXPECT_NE(error.find("does not belong"), std::string::npos) << error;

  // Signed by another key but claiming to be from `key`.
  m = signed_message(key_from_fill(5));
  const auto id = identity::PeerId::from_public_key(key.public_key());
  m.set_from(std::string(id.bytes().begin(), id.bytes().end()));
  EXPECT_FALSE(verify_message(m, &error));
}

TEST(MessageSigning, SeqnoIsBigEndian) {
  EXPECT_EQ(encode_seqno(0x0102030405060708ull), std::string("\x01\x02\x03\x04\x05\x06\x07\x08"));
}

}  // namespace
}  // namespace prowl::pubsub
