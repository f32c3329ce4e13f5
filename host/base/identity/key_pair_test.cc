#include "host/base/identity/key_pair.h"

#include <gtest/gtest.h>

#include "host/base/encoding/hex.h"
#include "host/base/identity/spec_test_vectors.h"

namespace prowl::identity {
namespace {

using encoding::hex_decode;
using encoding::hex_encode;

using test_vectors::kSpecPrivateKey;
using test_vectors::kSpecPublicKey;

std::array<uint8_t, 32> array32(std::string_view hex) {
  auto bytes = *hex_decode(hex);
  std::array<uint8_t, 32> out{};
  std::copy(bytes.begin(), bytes.end(), out.begin());
  return out;
}

TEST(KeyPair, DecodesSpecVectorAndEncodesTheSameBytes) {
  std::string error;
  auto pair = KeyPair::from_private_protobuf(*hex_decode(kSpecPrivateKey), &error);
  ASSERT_TRUE(pair.has_value()) << error;
  EXPECT_EQ(hex_encode(pair->private_to_protobuf()), kSpecPrivateKey);
  EXPECT_EQ(hex_encode(pair->public_key().to_protobuf()), kSpecPublicKey);
}

TEST(KeyPair, SignsAsRfc8032) {
  // RFC 8032 section 7.1, TEST 1 (empty message).
  auto pair =
      KeyPair::from_seed(array32("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
  EXPECT_EQ(hex_encode(pair.public_key().raw()),
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  auto signature = pair.sign({});
  EXPECT_EQ(hex_encode(signature),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e"
            "39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
  EXPECT_TRUE(pair.public_key().verify({}, signature));
}

TEST(KeyPair, SignatureVerifiesOnlyForTheSignedMessageAndKey) {
  auto pair = KeyPair::generate();
  const std::vector<uint8_t> message = {'p', 'r', 'o', 'w', 'l'};
  auto signature = pair.sign(message);
  EXPECT_TRUE(pair.public_key().verify(message, signature));
  auto tampered = message;
  tampered[0] ^= 1;
  EXPECT_FALSE(pair.public_key().verify(tampered, signature));
  EXPECT_FALSE(KeyPair::generate().public_key().verify(message, signature));
  EXPECT_FALSE(pair.public_key().verify(message, std::span(signature).first(63)));
}

TEST(KeyPair, GeneratesDistinctKeysThatRoundTrip) {
  auto a = KeyPair::generate();
  auto b = KeyPair::generate();
  EXPECT_NE(a.public_key(), b.public_key());
  auto decoded = KeyPair::from_private_protobuf(a.private_to_protobuf());
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->public_key(), a.public_key());
}

TEST(KeyPair, RefusesMismatchedPublicHalf) {
  auto bytes = *hex_decode(kSpecPrivateKey);
  bytes.back() ^= 1;
  std::string error;
  EXPECT_FALSE(KeyPair::from_private_protobuf(bytes, &error).has_value());
  EXPECT_EQ(error, "private key: public key half does not match the seed");
}

TEST(KeyPair, RefusesOtherKeyTypesAndLengths) {
  std::string error;
  // The spec's secp256k1 private key vector.
  EXPECT_FALSE(KeyPair::from_private_protobuf(
                   *hex_decode("0802122053DADF1D5A164D6B4ACDB15E24AA4C5B1D3461BDBD42ABEDB0A4404D56CED8FB"),
                   &error)
                   .has_value());
  EXPECT_EQ(error, "private key: unsupported key type Secp256k1 (only Ed25519 is supported)");
  // A 32-byte Ed25519 Data field (seed only).
  EXPECT_FALSE(KeyPair::from_private_protobuf(*hex_decode(kSpecPublicKey), &error).has_value());
  EXPECT_EQ(error, "private key: Ed25519 key data is 32 bytes, expected 64");
}

}  // namespace
}  // namespace prowl::identity
