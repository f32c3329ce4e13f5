#include "host/wire/noise/aead.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <string_view>
#include <vector>

#include "host/base/encoding/hex.h"

namespace prowl::noise {
namespace {

std::vector<uint8_t> unhex(std::string_view text) { return *encoding::hex_decode(text); }

// RFC 8439 section 2.8.2.
struct Rfc8439 {
  Aead::Key key{};
  Aead::Nonce nonce{};
  std::vector<uint8_t> ad = unhex("50515253c0c1c2c3c4c5c6c7");
  std::string_view text =
      "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would "
      "be it.";
  std::vector<uint8_t> plaintext{text.begin(), text.end()};
  std::vector<uint8_t> sealed = unhex(
      "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b1a71de0a9e06"
      "0b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc3ff4def08e4b7a9de576d265"
      "86cec64b6116"
      "1ae10b594f09e26a7e902ecbd0600691");
  Rfc8439() {
    for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<uint8_t>(0x80 + i);
    const auto n = unhex("070000004041424344454647");
    std::copy(n.begin(), n.end(), nonce.begin());
  }
};

TEST(Aead, SealsRfc8439Vector) {
  Rfc8439 v;
  Aead aead(v.key);
  std::vector<uint8_t> out(v.plaintext.size() + Aead::kTagLength);
  aead.seal(v.nonce, v.ad, v.plaintext, out);
  EXPECT_EQ(encoding::hex_encode(out), encoding::hex_encode(v.sealed));
}

TEST(Aead, OpensRfc8439VectorAndReusesContext) {
  Rfc8439 v;
  Aead aead(v.key);
  for (int round = 0; round < 3; ++round) {
    std::vector<uint8_t> out(v.plaintext.size());
    ASSERT_TRUE(aead.open(v.nonce, v.ad, v.sealed, out));
    EXPECT_EQ(out, v.plaintext);
  }
}

TEST(Aead, WorksInPlace) {
  Rfc8439 v;
  Aead aead(v.key);
  std::vector<uint8_t> buf = v.plaintext;
  buf.resize(buf.size() + Aead::kTagLength);
  aead.seal(v.nonce, v.ad, std::span(buf).first(v.plaintext.size()), buf);
  EXPECT_EQ(buf, v.sealed);
  ASSERT_TRUE(aead.open(v.nonce, v.ad, buf, buf));
  EXPECT_TRUE(std::equal(v.plaintext.begin(), v.plaintext.end(), buf.begin()));
}

TEST(Aead, RefusesAnyTamperingAndShortInput) {
  Rfc8439 v;
  Aead aead(v.key);
  std::vector<uint8_t> out(v.plaintext.size());
  for (size_t i : {size_t{0}, v.plaintext.size() - 1, v.sealed.size() - 1}) {
    auto bad = v.sealed;
    bad[i] ^= 0x01;
    EXPECT_FALSE(aead.open(v.nonce, v.ad, bad, out)) << "flipped byte " << i;
  }
  auto bad_ad = v.ad;
  bad_ad[0] ^= 0x80;
  EXPECT_FALSE(aead.open(v.nonce, bad_ad, v.sealed, out));
  auto bad_nonce = v.nonce;
  bad_nonce[11] ^= 1;
  EXPECT_FALSE(aead.open(bad_nonce, v.ad, v.sealed, out));
  EXPECT_FALSE(aead.open(v.nonce, v.ad, std::span(v.sealed).first(Aead::kTagLength - 1), out));
  // The context still works after failures.
  ASSERT_TRUE(aead.open(v.nonce, v.ad, v.sealed, out));
  EXPECT_EQ(out, v.plaintext);
}

TEST(Aead, EmptyPlaintextCarriesOnlyTheTag) {
  Aead aead(Aead::Key{});
  std::vector<uint8_t> out(Aead::kTagLength);
  aead.seal(Aead::Nonce{}, {}, {}, out);
  std::vector<uint8_t> none;
  EXPECT_TRUE(aead.open(Aead::Nonce{}, {}, out, none));
  out[3] ^= 1;
  EXPECT_FALSE(aead.open(Aead::Nonce{}, {}, out, none));
}

// A Noise message of the largest size, cut into updates internally and, for
// seal_gather, into parts that straddle those updates at odd offsets, must
// still be exactly RFC 8439's output (libsodium's, an independent
// implementation) and open again, in place or not.
TEST(Aead, LargestMessageMatchesLibsodiumWhateverTheParts) {
  ASSERT_GE(sodium_init(), 0);
  constexpr size_t kSize = 65519;
  Aead::Key key{};
  for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<uint8_t>(7 * i + 1);
  Aead::Nonce nonce{};
  nonce[4] = 42;
  std::vector<uint8_t> plaintext(kSize);
  for (size_t i = 0; i < kSize; ++i) plaintext[i] = static_cast<uint8_t>(i * 31 + (i >> 9));
  std::vector<uint8_t> expected(kSize + Aead::kTagLength);
  unsigned long long expected_size = 0;
  crypto_aead_chacha20poly1305_ietf_encrypt(expected.data(), &expected_size, plaintext.data(), kSize, nullptr, 0,
                                            nullptr, nonce.data(), key.data());
  ASSERT_EQ(expected_size, expected.size());

  Aead aead(key);
  std::vector<uint8_t> whole(expected.size());
  aead.seal(nonce, {}, plaintext, whole);
  EXPECT_EQ(whole, expected);
  const std::span<const uint8_t> all(plaintext);
  const std::span<const uint8_t> parts[] = {all.first(12), all.subspan(12, 8191), all.subspan(8203, 1),
                                            all.subspan(8204, 30000), all.subspan(38204)};
  std::vector<uint8_t> gathered(expected.size());
  aead.seal_gather(nonce, {}, parts, gathered);
  EXPECT_EQ(gathered, expected);

  std::vector<uint8_t> opened(kSize);
  ASSERT_TRUE(aead.open(nonce, {}, expected, opened));
  EXPECT_EQ(opened, plaintext);
  ASSERT_TRUE(aead.open(nonce, {}, gathered, gathered));
  EXPECT_TRUE(std::equal(plaintext.begin(), plaintext.end(), gathered.begin()));
  auto bad = expected;
  bad[kSize - 1] ^= 0x40;  // in the last update
  EXPECT_FALSE(aead.open(nonce, {}, bad, opened));
}

}  // namespace
}  // namespace prowl::noise
