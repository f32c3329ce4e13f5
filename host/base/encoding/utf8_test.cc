#include "host/base/encoding/utf8.h"

#include <gtest/gtest.h>

#include <string_view>

namespace prowl::encoding {
namespace {

bool valid(std::string_view text) {
  return valid_utf8(std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
}

TEST(Utf8, AcceptsTextInEveryLength) {
  EXPECT_TRUE(valid(""));
  EXPECT_TRUE(valid("wolf howl"));
  EXPECT_TRUE(valid("\xC3\xA9t\xC3\xA9"));          // two-byte sequences
  EXPECT_TRUE(valid("\xE2\x82\xAC 5"));             // three bytes: the euro sign
  EXPECT_TRUE(valid("\xF0\x9F\x90\xBA"));           // four bytes: a wolf face
}

TEST(Utf8, RefusesMalformedSequences) {
  EXPECT_FALSE(valid("\xFF"));                  // never a UTF-8 byte
  EXPECT_FALSE(valid("ok\x80"));                // a lone continuation byte
  EXPECT_FALSE(valid("\xE2\x82"));              // truncated at the end
  EXPECT_FALSE(valid("\xC0\xAF"));              // overlong form of '/'
  EXPECT_FALSE(valid("\xED\xA0\x80"));          // a UTF-16 surrogate
  EXPECT_FALSE(valid("\xF4\x90\x80\x80"));      // beyond U+10FFFF
}

}  // namespace
}  // namespace prowl::encoding
