#include "host/base/encoding/base58.h"
#include "host/base/encoding/hex.h"

#include <gtest/gtest.h>

namespace prowl::encoding {
namespace {

std::vector<uint8_t> bytes(std::string_view s) { return {s.begin(), s.end()}; }

TEST(Base58, KnownVectors) {
  // Text vectors from the base58 draft specification; the last checked independently.
  EXPECT_EQ(base58_encode(bytes("Hello World!")), "2NEpo7TZRRrLZSi2U");
  EXPECT_EQ(base58_encode(bytes("The quick brown fox jumps over the lazy dog.")),
            "USm3fpXnKG5EUBx2ndxBDMPVciP5hGey2Jh4NDv6gmeo1LkMeiKrLJUUBk6Z");
  EXPECT_EQ(base58_encode(*hex_decode("0000287fb4cd")), "11233QC4");
  EXPECT_EQ(base58_encode({}), "");
}

TEST(Base58, DecodesWhatItEncodes) {
  for (std::string_view s : {"", "a", "\0\0x", "Hello World!"}) {
    auto enc = base58_encode(bytes(s));
    auto dec = base58_decode(enc);
    ASSERT_TRUE(dec.has_value()) << enc;
    EXPECT_EQ(*dec, bytes(s));
  }
}

TEST(Base58, RefusesCharactersOutsideAlphabetWithPosition) {
  std::string error;
  EXPECT_FALSE(base58_decode("abc0def", &error).has_value());
  EXPECT_EQ(error, "invalid base58 character at position 3");
  EXPECT_FALSE(base58_decode("I", &error).has_value());
  EXPECT_FALSE(base58_decode(std::string(kBase58MaxChars + 1, '2'), &error).has_value());
}

TEST(Hex, RoundTripAndRefusal) {
  EXPECT_EQ(hex_encode(*hex_decode("00ffA0")), "00ffa0");
  EXPECT_FALSE(hex_decode("abc").has_value());
  EXPECT_FALSE(hex_decode("zz").has_value());
}

}  // namespace
}  // namespace prowl::encoding
