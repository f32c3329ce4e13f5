#include "plugins/hunts/hashcash/hashcash.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <string>

namespace prowl::hunts::hashcash {
namespace {

std::span<const uint8_t> bytes(const std::string& s) {
  return std::span(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

TEST(HashcashTest, FindsANonceThatChecks) {
  ASSERT_GE(sodium_init(), 0);
  const std::string data = "prowl";
  bool stopped = false;
  const auto nonce = search(bytes(data), 12, 0, 1 << 20, {}, &stopped);
  ASSERT_TRUE(nonce.has_value());
  EXPECT_GE(leading_zero_bits(bytes(data), *nonce), 12u);
  // The first one: no smaller nonce qualifies.
  for (uint64_t n = 0; n < *nonce; ++n) EXPECT_LT(leading_zero_bits(bytes(data), n), 12u);
}

TEST(HashcashTest, ARangeWithoutOneSaysSo) {
  const std::string data = "prowl";
  bool stopped = false;
  EXPECT_FALSE(search(bytes(data), 40, 0, 1000, {}, &stopped).has_value());
  EXPECT_FALSE(stopped);
}

}  // namespace
}  // namespace prowl::hunts::hashcash
