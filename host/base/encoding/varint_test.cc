#include "host/base/encoding/varint.h"

#include <gtest/gtest.h>

namespace prowl::encoding {
namespace {

using Status = VarintResult::Status;

TEST(Varint, RoundTripsBoundaryValues) {
  for (uint64_t v : {uint64_t{0}, uint64_t{1}, uint64_t{127}, uint64_t{128}, uint64_t{300},
                     uint64_t{16383}, uint64_t{16384}, kVarintMax}) {
    std::vector<uint8_t> buf;
    append_varint(buf, v);
    EXPECT_EQ(buf.size(), varint_size(v));
    auto r = decode_varint(buf);
    ASSERT_EQ(r.status, Status::kOk) << v;
    EXPECT_EQ(r.value, v);
    EXPECT_EQ(r.length, buf.size());
  }
}

TEST(Varint, KnownEncoding) {
  std::vector<uint8_t> buf;
  append_varint(buf, 300);
  EXPECT_EQ(buf, (std::vector<uint8_t>{0xac, 0x02}));
}

TEST(Varint, IncompleteNeedsMoreBytes) {
  const uint8_t partial[] = {0x80, 0x80};
  EXPECT_EQ(decode_varint(partial).status, Status::kIncomplete);
  EXPECT_EQ(decode_varint({}).status, Status::kIncomplete);
}

TEST(Varint, RefusesNonMinimalOverlongAndOversized) {
  const uint8_t non_minimal[] = {0x81, 0x00};
  auto r = decode_varint(non_minimal);
  EXPECT_EQ(r.status, Status::kInvalid);
  EXPECT_STREQ(r.error, "varint is not minimally encoded");

  const uint8_t too_long[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
  EXPECT_EQ(decode_varint(too_long).status, Status::kInvalid);

  const uint8_t too_big[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x80};
  EXPECT_EQ(decode_varint(too_big).status, Status::kInvalid);
}

}  // namespace
}  // namespace prowl::encoding
