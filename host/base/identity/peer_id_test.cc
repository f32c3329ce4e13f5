#include "host/base/identity/peer_id.h"

#include <gtest/gtest.h>

#include "host/base/encoding/hex.h"
#include "host/base/identity/spec_test_vectors.h"

namespace prowl::identity {
namespace {

using encoding::hex_decode;
using encoding::hex_encode;

using test_vectors::kSpecPublicKey;

PublicKey spec_key() { return *PublicKey::from_protobuf(*hex_decode(kSpecPublicKey)); }

TEST(PeerId, SpecVectorKeyGivesIdentityMultihashAnd12D3KooWText) {
  const PeerId id = PeerId::from_public_key(spec_key());
  // Identity multihash: code 0x00, length 0x24 (36), then the key protobuf.
  EXPECT_EQ(hex_encode(id.bytes()), "0024" + std::string(kSpecPublicKey));
  // The same text js-libp2p (@libp2p/peer-id) prints for this key.
  EXPECT_EQ(id.to_string(), "12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq");
  EXPECT_EQ(id.public_key(), spec_key());
}

TEST(PeerId, ParsesTextBackToTheSameIdAndKey) {
  std::string error;
  auto id = PeerId::from_string("12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq", &error);
  ASSERT_TRUE(id.has_value()) << error;
  EXPECT_EQ(*id, PeerId::from_public_key(spec_key()));
  EXPECT_EQ(id->public_key(), spec_key());
}

TEST(PeerId, ParsesTheSpecExamples) {
  // Both string examples of the spec's "String representation" section.
  auto ed25519 = PeerId::from_string("12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA");
  ASSERT_TRUE(ed25519.has_value());
  ASSERT_TRUE(ed25519->public_key().has_value());
  EXPECT_EQ(PeerId::from_public_key(*ed25519->public_key()), *ed25519);

  auto sha256 = PeerId::from_string("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N");
  ASSERT_TRUE(sha256.has_value());
  EXPECT_EQ(hex_encode(sha256->bytes()),
            "12209dff3b17d74cf4d38a50d8b6383e92d181a10395a5e73a726dcccbd21bf6f0b9");
  EXPECT_FALSE(sha256->public_key().has_value());
  EXPECT_EQ(sha256->to_string(), "QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N");
}

TEST(PeerId, RefusesWhatIsNotAPeerIdSayingWhy) {
  std::string error;
  EXPECT_FALSE(PeerId::from_string("", &error));
  EXPECT_EQ(error, "peer id: empty");
  EXPECT_FALSE(PeerId::from_string("12D3KooW0", &error));
  EXPECT_EQ(error,
            "peer id: invalid base58 character at position 8 "
            "(peer ids are base58btc, e.g. 12D3KooW... or Qm...)");
  EXPECT_FALSE(PeerId::from_string(std::string(200, 'Q'), &error));
  EXPECT_EQ(error, "peer id: longer than 128 characters");
  EXPECT_FALSE(PeerId::from_bytes(*hex_decode("1301ff"), &error));
  EXPECT_EQ(error, "peer id: unsupported multihash code 0x13 (expected identity 0x0 or sha2-256 0x12)");
  EXPECT_FALSE(PeerId::from_bytes(*hex_decode("120400000000"), &error));
  EXPECT_EQ(error, "peer id: sha2-256 digest must be 32 bytes, got 4");
  EXPECT_FALSE(PeerId::from_bytes(*hex_decode("0005000000"), &error));
  EXPECT_EQ(error, "peer id: multihash declares 5 digest bytes but holds 3");
  EXPECT_FALSE(PeerId::from_bytes(std::vector<uint8_t>{0x00, 43, 0x00}, &error));
  std::vector<uint8_t> too_long = {0x00, 43};
  too_long.resize(45);
  EXPECT_FALSE(PeerId::from_bytes(too_long, &error));
  EXPECT_EQ(error, "peer id: identity multihash longer than 42 bytes");
  EXPECT_FALSE(PeerId::from_bytes(*hex_decode("80"), &error));
  EXPECT_EQ(error, "peer id: malformed multihash code varint");
}

TEST(PeerId, OrdersAndComparesByBytes) {
  auto a = PeerId::from_string("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N");
  auto b = PeerId::from_public_key(spec_key());
  EXPECT_LT(b, *a);  // 0x00... sorts before 0x12...
  EXPECT_NE(*a, b);
}

}  // namespace
}  // namespace prowl::identity
