#include "host/plugin_host/codec/frame.h"

#include <gtest/gtest.h>

namespace prowl::codec {
namespace {

std::string error_of(std::vector<uint8_t> frame) {
  std::string error;
  EXPECT_FALSE(parse_frame_header(frame, &error));
  return error;
}

TEST(FrameTest, HeaderRoundTrips) {
  auto bytes = encode_frame_header("zstd", 300);
  EXPECT_EQ(bytes, (std::vector<uint8_t>{'P', 'R', 'W', 'Z', 1, 4, 'z', 's', 't', 'd', 0xac, 0x02}));
  bytes.push_back(0xee);  // payload
  std::string error;
  auto header = parse_frame_header(bytes, &error);
  ASSERT_TRUE(header) << error;
  EXPECT_EQ(header->codec, "zstd");
  EXPECT_EQ(header->original_size, 300u);
  EXPECT_EQ(header->header_size, 12u);
}

TEST(FrameTest, NamesWhatIsWrong) {
  EXPECT_EQ(error_of({'P', 'R'}), "frame is too short (2 bytes) to hold a header");
  EXPECT_EQ(error_of({'X', 'R', 'W', 'Z', 1, 1, 'a', 0}), "not a prowl frame: bad magic at offset 0");
  EXPECT_EQ(error_of({'P', 'R', 'W', 'Z', 2, 1, 'a', 0}),
            "unsupported frame version 2 at offset 4 (this host reads version 1)");
  EXPECT_EQ(error_of({'P', 'R', 'W', 'Z', 1, 0, 0}),
            "codec name length 0 at offset 5 is out of range 1..63");
  EXPECT_EQ(error_of({'P', 'R', 'W', 'Z', 1, 64, 0}),
            "codec name length 64 at offset 5 is out of range 1..63");
  EXPECT_EQ(error_of({'P', 'R', 'W', 'Z', 1, 5, 'a'}), "frame ends inside the codec name at offset 6");
  EXPECT_EQ(error_of({'P', 'R', 'W', 'Z', 1, 1, 'A', 0}),
            "codec name at offset 6 is not a valid plugin name");
  EXPECT_EQ(error_of({'P', 'R', 'W', 'Z', 1, 1, 'a'}),
            "frame ends inside the original length at offset 7");
  EXPECT_EQ(error_of({'P', 'R', 'W', 'Z', 1, 1, 'a', 0x80, 0x00}),
            "bad original length at offset 7: varint is not minimally encoded");
}

}  // namespace
}  // namespace prowl::codec
