#include "host/services/rr/frame_reader.h"

#include <gtest/gtest.h>

namespace prowl::rr {
namespace {

using State = FrameReader::State;

TEST(FrameReaderTest, DecodesAResponseFedOneByteAtATime) {
  const std::vector<uint8_t> payload{'p', 'o', 'n', 'g'};
  const std::vector<uint8_t> frame = encode_response(0, payload);
  ASSERT_EQ(frame, (std::vector<uint8_t>{0, 4, 'p', 'o', 'n', 'g'}));
  FrameReader reader(16, true);
  for (uint8_t byte : frame) {
    EXPECT_EQ(reader.state(), State::kIncomplete);
    reader.on_bytes(std::span(&byte, 1));
  }
  ASSERT_EQ(reader.state(), State::kComplete);
  EXPECT_EQ(reader.status(), 0);
  EXPECT_EQ(reader.take_payload(), payload);
}

TEST(FrameReaderTest, DecodesARequestAndAnEmptyOne) {
  FrameReader reader(16, false);
  reader.on_bytes(std::vector<uint8_t>{3, 'a', 'b', 'c'});
  ASSERT_EQ(reader.state(), State::kComplete);
  EXPECT_EQ(reader.take_payload(), (std::vector<uint8_t>{'a', 'b', 'c'}));
  FrameReader empty(16, false);
  empty.on_bytes(std::vector<uint8_t>{0});
  EXPECT_EQ(empty.state(), State::kComplete);
}

TEST(FrameReaderTest, RefusesAnOversizedLengthBeforeThePayload) {
  FrameReader reader(100, false);
  reader.on_bytes(std::vector<uint8_t>{0xe5, 0x8e, 0x26});  // 624485
  ASSERT_EQ(reader.state(), State::kTooLarge);
  EXPECT_EQ(reader.error(), "frame of 624485 bytes exceeds the limit of 100");
}

TEST(FrameReaderTest, NamesMalformedInput) {
  FrameReader overlong(100, true);
  overlong.on_bytes(std::vector<uint8_t>{0, 0x80, 0x00});
  ASSERT_EQ(overlong.state(), State::kMalformed);
  EXPECT_NE(overlong.error().find("malformed length at byte 2"), std::string::npos) << overlong.error();

  FrameReader trailing(100, false);
  trailing.on_bytes(std::vector<uint8_t>{1, 'x', 'y'});
  ASSERT_EQ(trailing.state(), State::kMalformed);
  EXPECT_EQ(trailing.error(), "unexpected byte after the frame at byte 2");

  FrameReader truncated(100, false);
  truncated.on_bytes(std::vector<uint8_t>{5, 'x'});
  truncated.on_end();
  ASSERT_EQ(truncated.state(), State::kMalformed);
  EXPECT_EQ(truncated.error(), "stream ended inside the frame after 2 bytes");
}

}  // namespace
}  // namespace prowl::rr
