#include "host/wire/noise/symmetric_state.h"

#include <gtest/gtest.h>

#include "host/base/encoding/hex.h"

namespace prowl::noise {
namespace {

TEST(Hkdf, MatchesRfc5869TestCase3) {
  // RFC 5869 A.3: SHA-256, IKM = 22 x 0x0b, no salt (HashLen zero bytes), no
  // info, L = 42. Noise's two outputs are the first 64 bytes of that stream.
  const std::vector<uint8_t> ikm(22, 0x0b);
  const Hash zero_salt{};
  for (std::span<const uint8_t> salt : {std::span<const uint8_t>(), std::span<const uint8_t>(zero_salt)}) {
    auto [out1, out2] = hkdf2(salt, ikm);
    const std::string okm = encoding::hex_encode(out1) + encoding::hex_encode(out2);
    EXPECT_EQ(okm.substr(0, 84),
              "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
  }
}

TEST(Hkdf, EmptyKeyAndEmptyInputAreValidHmacInputs) {
  // An empty chaining key and an empty ikm (split() passes one) reach
  // libsodium as non-null pointers of length 0 (UBSan flagged the null ones).
  // Expected: HMAC-SHA256 with the empty key, computed independently.
  auto [out1, out2] = hkdf2({}, {});
  EXPECT_EQ(encoding::hex_encode(out1), "eb70f01dede9afafa449eee1b1286504e1f62388b3f7dd4f956697b0e828fe18");
  EXPECT_EQ(encoding::hex_encode(out2), "1e59c2ec0fe6e7e7ac2613b6ab65342a83379969da234240cded3777914db907");
}

TEST(SymmetricState, ShortProtocolNameIsPaddedNotHashed) {
  SymmetricState exact("Noise_XX_25519_ChaChaPoly_SHA256");
  EXPECT_EQ(encoding::hex_encode(exact.handshake_hash()),
            encoding::hex_encode(std::span(reinterpret_cast<const uint8_t*>("Noise_XX_25519_ChaChaPoly_SHA256"), 32)));
  SymmetricState shorter("Noise_N");
  EXPECT_EQ(encoding::hex_encode(shorter.handshake_hash()),
            "4e6f6973655f4e00000000000000000000000000000000000000000000000000");
}

TEST(SymmetricState, EncryptsOnlyAfterMixKeyAndBindsTheTranscript) {
  SymmetricState a("Noise_XX_25519_ChaChaPoly_SHA256");
  SymmetricState b("Noise_XX_25519_ChaChaPoly_SHA256");
  const std::vector<uint8_t> msg = {1, 2, 3};
  std::vector<uint8_t> clear(3);
  ASSERT_TRUE(a.encrypt_and_hash(msg, clear));
  EXPECT_EQ(clear, msg);
  std::vector<uint8_t> back(3);
  ASSERT_TRUE(b.decrypt_and_hash(clear, back));

  const std::vector<uint8_t> ikm(32, 7);
  a.mix_key(ikm);
  b.mix_key(ikm);
  std::vector<uint8_t> sealed(3 + 16);
  ASSERT_TRUE(a.encrypt_and_hash(msg, sealed));
  EXPECT_NE(std::vector<uint8_t>(sealed.begin(), sealed.begin() + 3), msg);
  ASSERT_TRUE(b.decrypt_and_hash(sealed, back));
  EXPECT_EQ(back, msg);
  EXPECT_EQ(a.handshake_hash(), b.handshake_hash());

  // A diverging transcript makes the next ciphertext fail to authenticate.
  a.mix_hash(msg);
  ASSERT_TRUE(a.encrypt_and_hash(msg, sealed));
  EXPECT_FALSE(b.decrypt_and_hash(sealed, back));
}

}  // namespace
}  // namespace prowl::noise
