#include "host/base/identity/public_key.h"

#include <gtest/gtest.h>

#include "host/base/encoding/hex.h"
#include "host/base/identity/spec_test_vectors.h"

namespace prowl::identity {
namespace {

using encoding::hex_decode;
using encoding::hex_encode;

using test_vectors::kSpecPublicKey;

std::optional<PublicKey> decode(std::string_view hex, std::string* error = nullptr) {
  return PublicKey::from_protobuf(*hex_decode(hex), error);
}

TEST(PublicKey, DecodesSpecVectorAndEncodesTheSameBytes) {
  std::string error;
  auto key = decode(kSpecPublicKey, &error);
  ASSERT_TRUE(key.has_value()) << error;
  EXPECT_EQ(hex_encode(key->raw()),
            "1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e");
  EXPECT_EQ(hex_encode(key->to_protobuf()), kSpecPublicKey);
  EXPECT_EQ(PublicKey::from_raw(key->raw()), *key);
}

TEST(PublicKey, RefusesOtherKeyTypesNamingThem) {
  std::string error;
  // The spec's secp256k1 public key vector.
  EXPECT_FALSE(
      decode("08021221037777e994e452c21604f91de093ce415f5432f701dd8cd1a7a6fea0e630bfca99", &error));
  EXPECT_EQ(error, "public key: unsupported key type Secp256k1 (only Ed25519 is supported)");
  EXPECT_FALSE(decode("0800120100", &error));
  EXPECT_EQ(error, "public key: unsupported key type RSA (only Ed25519 is supported)");
  EXPECT_FALSE(decode("0809120100", &error));  // type 9 is no libp2p key type
  EXPECT_EQ(error, "public key: key type missing or not a libp2p key type");
}

TEST(PublicKey, RefusesNonDeterministicEncodings) {
  std::string error;
  const std::string data = "1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
  // Fields in reverse order.
  EXPECT_FALSE(decode("1220" + data + "0801", &error));
  EXPECT_EQ(error,
            "public key: not the deterministic encoding (fields repeated, out of order or unknown)");
  // A non-minimal varint for the type.
  EXPECT_FALSE(decode("088100" "1220" + data, &error));
  // An unknown trailing field.
  EXPECT_FALSE(decode(std::string(kSpecPublicKey) + "1801", &error));
  EXPECT_EQ(error,
            "public key: not the deterministic encoding (fields repeated, out of order or unknown)");
}

TEST(PublicKey, RefusesMalformedAndShortData) {
  std::string error;
  EXPECT_FALSE(decode("0801122001", &error));
  EXPECT_EQ(error, "public key: malformed protobuf");
  EXPECT_FALSE(decode("0801", &error));
  EXPECT_EQ(error, "public key: key data missing");
  EXPECT_FALSE(decode("0801120400000000", &error));
  EXPECT_EQ(error, "public key: Ed25519 key data is 4 bytes, expected 32");
  std::vector<uint8_t> huge(2000, 0);
  EXPECT_FALSE(PublicKey::from_protobuf(huge, &error));
  EXPECT_EQ(error, "public key: protobuf longer than 1024 bytes");
}

}  // namespace
}  // namespace prowl::identity
