#include "host/services/dht/prowl_record.h"

#include <gtest/gtest.h>

#include <string>

namespace prowl::dht {
namespace {

std::vector<uint8_t> bytes(std::string_view text) { return {text.begin(), text.end()}; }

TEST(ProwlRecordTest, SignsOwnKeysAndOpensThemBack) {
  const auto key_pair = identity::KeyPair::generate();
  const auto local = identity::PeerId::from_public_key(key_pair.public_key());
  const auto key = kad::SignedValue::record_key(local, "greeting");
  ASSERT_TRUE(check_own_prowl_key(key, local).ok());
  const auto stored = stored_value(key_pair, key, bytes("hello"));
  auto opened = open_prowl_value(key, stored);
  ASSERT_TRUE(opened);
  EXPECT_EQ(opened->value(), bytes("hello"));
  EXPECT_EQ(identity::PeerId::from_public_key(opened->publisher()), local);
  // Under another key the signature does not hold.
  EXPECT_FALSE(open_prowl_value(kad::SignedValue::record_key(local, "other"), stored));
  EXPECT_FALSE(open_prowl_value(key, bytes("not an envelope")));
}

TEST(ProwlRecordTest, OtherNamespacesPassAndForeignProwlKeysAreRefused) {
  const auto key_pair = identity::KeyPair::generate();
  const auto local = identity::PeerId::from_public_key(key_pair.public_key());
  EXPECT_EQ(stored_value(key_pair, bytes("/pk/x"), bytes("raw")), bytes("raw"));
  EXPECT_TRUE(check_own_prowl_key(bytes("/pk/x"), local).ok());
  const auto other = identity::PeerId::from_public_key(identity::KeyPair::generate().public_key());
  const Status foreign = check_own_prowl_key(kad::SignedValue::record_key(other, "x"), local);
  EXPECT_EQ(foreign.code(), StatusCode::kInvalidInput);
  EXPECT_EQ(check_own_prowl_key(bytes("/prowl/" + local.to_string() + "/"), local).code(), StatusCode::kInvalidInput);
}

}  // namespace
}  // namespace prowl::dht
