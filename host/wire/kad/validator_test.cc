#include <gtest/gtest.h>

#include "host/wire/kad/public_key_validator.h"
#include "host/wire/kad/signed_value.h"
#include "host/wire/kad/signed_value_validator.h"
#include "host/wire/kad/testing.h"
#include "host/wire/kad/validator_set.h"

namespace prowl::kad {
namespace {

using testing::bytes;
using testing::test_key;
using testing::test_peer;

std::vector<uint8_t> pk_key(const identity::PeerId& peer) {
  std::vector<uint8_t> key = bytes("/pk/");
  key.insert(key.end(), peer.bytes().begin(), peer.bytes().end());
  return key;
}

TEST(PublicKeyValidator, AcceptsTheKeyOfThePeerNamed) {
  PublicKeyValidator v;
  const auto value = test_key(1).public_key().to_protobuf();
  std::string error;
  EXPECT_TRUE(v.validate(pk_key(test_peer(1)), value, &error)) << error;
  EXPECT_FALSE(v.validate(pk_key(test_peer(2)), value, &error));
  EXPECT_EQ(error, "/pk/ record: the key's peer id does not match the public key");
  EXPECT_FALSE(v.validate(pk_key(test_peer(1)), bytes("junk"), &error));
  EXPECT_EQ(error.rfind("/pk/ record: value is not a public key", 0), 0u) << error;
  EXPECT_FALSE(v.validate(bytes("/pk/"), value, &error));
}

TEST(SignedValue, RoundTripsAndVerifiesOnlyForItsKey) {
  const auto key = SignedValue::record_key(test_peer(1), "status");
  EXPECT_EQ(std::string(key.begin(), key.end()), "/prowl/" + test_peer(1).to_string() + "/status");
  const auto signed_value = SignedValue::sign(test_key(1), key, bytes("hunting"), 7);
  auto decoded = SignedValue::decode(signed_value.encode());
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->value(), bytes("hunting"));
  EXPECT_EQ(decoded->sequence(), 7u);
  EXPECT_TRUE(decoded->verify(key));
  EXPECT_FALSE(decoded->verify(SignedValue::record_key(test_peer(1), "other")));
  std::string error;
  EXPECT_FALSE(SignedValue::decode(bytes("\x0a\x02zz"), &error));
  EXPECT_EQ(error.rfind("signed value: publicKey: ", 0), 0u) << error;
}

TEST(SignedValue, PayloadIsDomainSeparatedAndLengthPrefixed) {
  const auto payload = SignedValue::signing_payload(bytes("ab"), bytes("c"), 0x0102);
  const std::string domain = "prowl-kad-signed-value:";
  std::vector<uint8_t> expected = bytes(domain);
  for (int b : std::initializer_list<int>{2, 'a', 'b', 0, 0, 0, 0, 0, 0, 1, 2, 1, 'c'}) {
    expected.push_back(static_cast<uint8_t>(b));
  }
  EXPECT_EQ(payload, expected);
}

TEST(SignedValueValidator, AcceptsOnlyTheOwnersSignature) {
  SignedValueValidator v;
  const auto key = SignedValue::record_key(test_peer(1), "status");
  std::string error;
  EXPECT_TRUE(v.validate(key, SignedValue::sign(test_key(1), key, bytes("x"), 1).encode(), &error))
      << error;
  // Signed by another key: that key does not own the name.
  EXPECT_FALSE(v.validate(key, SignedValue::sign(test_key(2), key, bytes("x"), 1).encode(), &error));
  EXPECT_NE(error.find("does not own the key"), std::string::npos) << error;
  // Signed for another name, then replayed here.
  const auto other = SignedValue::record_key(test_peer(1), "other");
  EXPECT_FALSE(v.validate(key, SignedValue::sign(test_key(1), other, bytes("x"), 1).encode(), &error));
  EXPECT_EQ(error, "/prowl/ record: signature does not verify");
  EXPECT_FALSE(v.validate(bytes("/prowl/" + test_peer(1).to_string() + "/"),
                          SignedValue::sign(test_key(1), key, bytes("x"), 1).encode(), &error));
  EXPECT_EQ(error, "/prowl/ record: key is not /prowl/<peer id>/<name>");
}

TEST(SignedValueValidator, SelectsTheHighestSequence) {
  SignedValueValidator v;
  const auto key = SignedValue::record_key(test_peer(1), "status");
  const std::vector<std::vector<uint8_t>> values = {
      SignedValue::sign(test_key(1), key, bytes("a"), 3).encode(),
      SignedValue::sign(test_key(1), key, bytes("b"), 9).encode(),
      SignedValue::sign(test_key(1), key, bytes("c"), 9).encode(),
      SignedValue::sign(test_key(1), key, bytes("d"), 4).encode()};
  EXPECT_EQ(v.select(key, values), 1u);
}

TEST(ValidatorSet, RoutesByNamespaceAndRefusesTheRest) {
  const ValidatorSet set = ValidatorSet::with_defaults();
  std::string error;
  EXPECT_TRUE(set.validate(pk_key(test_peer(3)), test_key(3).public_key().to_protobuf(), &error));
  const auto key = SignedValue::record_key(test_peer(3), "n");
  EXPECT_TRUE(set.validate(key, SignedValue::sign(test_key(3), key, bytes("v"), 0).encode(), &error));
  EXPECT_FALSE(set.validate(bytes("/ipns/abc"), bytes("v"), &error));
  EXPECT_EQ(error, "no validator for record namespace 'ipns'");
  EXPECT_FALSE(set.validate(bytes("plain"), bytes("v"), &error));
  EXPECT_EQ(error, "record key has no /<namespace>/ prefix");
}

}  // namespace
}  // namespace prowl::kad
