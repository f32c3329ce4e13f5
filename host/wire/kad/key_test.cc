#include "host/wire/kad/key.h"

#include <gtest/gtest.h>

#include "host/base/encoding/hex.h"
#include "host/wire/kad/testing.h"

namespace prowl::kad {
namespace {

using testing::bytes;
using testing::test_peer;

TEST(KadKey, IsTheSha256OfTheBytes) {
  EXPECT_EQ(encoding::hex_encode(Key::from_bytes(bytes("abc")).digest()),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(KadKey, OfAPeerIsTheSha256OfItsMultihash) {
  const auto peer = test_peer(1);
  EXPECT_EQ(Key::from_peer(peer), Key::from_bytes(peer.bytes()));
  EXPECT_NE(Key::from_peer(peer), Key::from_peer(test_peer(2)));
}

TEST(KadKey, DistanceIsXorAndSymmetric) {
  const Key a = Key::from_bytes(bytes("a"));
  const Key b = Key::from_bytes(bytes("b"));
  EXPECT_EQ(a.distance(b), b.distance(a));
  EXPECT_EQ(a.distance(a), Distance{});
  for (size_t i = 0; i < 32; ++i) {
    EXPECT_EQ(a.distance(b)[i], static_cast<uint8_t>(a.digest()[i] ^ b.digest()[i]));
  }
  // XOR is unidirectional: no other key sits at the same distance from a.
  EXPECT_NE(a.distance(b), a.distance(Key::from_bytes(bytes("c"))));
}

TEST(KadKey, LeadingZerosCountSharedPrefixBits) {
  Distance d{};
  EXPECT_EQ(leading_zeros(d), 256u);
  d[0] = 0x80;
  EXPECT_EQ(leading_zeros(d), 0u);
  d[0] = 0x01;
  EXPECT_EQ(leading_zeros(d), 7u);
  d[0] = 0;
  d[1] = 0x20;
  EXPECT_EQ(leading_zeros(d), 10u);
  d = {};
  d[31] = 1;
  EXPECT_EQ(leading_zeros(d), 255u);
}

TEST(KadKey, RefreshKeysLandInTheAskedBucket) {
  const Key local = Key::from_peer(test_peer(1));
  for (size_t bits : {size_t{0}, size_t{1}, size_t{5}, size_t{9}}) {
    const auto key = random_key_sharing_prefix(local, bits);
    EXPECT_EQ(leading_zeros(local.distance(Key::from_bytes(key))), bits);
  }
  EXPECT_NE(random_key_sharing_prefix(local, 3), random_key_sharing_prefix(local, 3));
  EXPECT_THROW(random_key_sharing_prefix(local, kMaxRefreshPrefixBits + 1), std::invalid_argument);
}

TEST(KadKey, DistancesOrderAsBigEndianNumbers) {
  Distance small{}, large{};
  small[31] = 0xff;
  large[30] = 0x01;
  EXPECT_LT(small, large);
}

}  // namespace
}  // namespace prowl::kad
