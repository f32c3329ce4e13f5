#include "host/wire/yamux/frame_decoder.h"

#include <gtest/gtest.h>

#include "host/wire/yamux/frame_header.h"

namespace prowl::yamux {
namespace {

TEST(FrameHeader, EncodesBigEndianFields) {
  std::vector<uint8_t> out;
  append_header(out, FrameHeader{0, FrameType::kWindowUpdate, kFlagSyn | kFlagFin, 0x01020304,
                                 0x0a0b0c0d});
  EXPECT_EQ(out, (std::vector<uint8_t>{0, 1, 0, 5, 1, 2, 3, 4, 0x0a, 0x0b, 0x0c, 0x0d}));
  const FrameHeader h = decode_header(std::span<const uint8_t, kHeaderSize>(out.data(), 12));
  EXPECT_EQ(h.type, FrameType::kWindowUpdate);
  EXPECT_EQ(h.flags, kFlagSyn | kFlagFin);
  EXPECT_EQ(h.stream_id, 0x01020304u);
  EXPECT_EQ(h.length, 0x0a0b0c0du);
}

TEST(FrameHeader, KnowsOnlyTheFourSpecTypes) {
  EXPECT_TRUE(is_known_type(FrameType::kGoAway));
  EXPECT_FALSE(is_known_type(static_cast<FrameType>(4)));
  EXPECT_STREQ(type_name(static_cast<FrameType>(9)), "unknown");
}

// Two frames: a data frame with a 5-byte payload, then a ping.
std::vector<uint8_t> two_frames() {
  std::vector<uint8_t> bytes;
  append_header(bytes, {0, FrameType::kData, kFlagFin, 3, 5});
  for (uint8_t b : {'h', 'e', 'l', 'l', 'o'}) bytes.push_back(b);
  append_header(bytes, {0, FrameType::kPing, kFlagSyn, 0, 77});
  return bytes;
}

TEST(FrameDecoder, YieldsHeaderPayloadViewAndNextHeader) {
  const auto bytes = two_frames();
  FrameDecoder d;
  std::span<const uint8_t> in(bytes);
  auto item = d.next(in);
  ASSERT_EQ(item.kind, FrameDecoder::Item::Kind::kHeader);
  EXPECT_FALSE(item.frame_end);
  item = d.next(in);
  ASSERT_EQ(item.kind, FrameDecoder::Item::Kind::kPayload);
  EXPECT_EQ(item.payload.data(), bytes.data() + 12);  // a view, not a copy
  EXPECT_EQ(item.payload.size(), 5u);
  EXPECT_TRUE(item.frame_end);
  item = d.next(in);
  ASSERT_EQ(item.kind, FrameDecoder::Item::Kind::kHeader);
  EXPECT_EQ(item.header.type, FrameType::kPing);
  EXPECT_EQ(item.header.length, 77u);
  EXPECT_EQ(item.frame_offset, 17u);
  EXPECT_TRUE(item.frame_end);
  EXPECT_TRUE(in.empty());
}

TEST(FrameDecoder, ByteByByteGivesTheSameFrames) {
  const auto bytes = two_frames();
  FrameDecoder d;
  std::string payload;
  int headers = 0;
  int ends = 0;
  for (uint8_t b : bytes) {
    std::span<const uint8_t> in(&b, 1);
    while (!in.empty()) {
      auto item = d.next(in);
      if (item.kind == FrameDecoder::Item::Kind::kHeader) ++headers;
      if (item.kind == FrameDecoder::Item::Kind::kPayload)
        payload.append(item.payload.begin(), item.payload.end());
      if (item.frame_end) ++ends;
    }
  }
  EXPECT_EQ(headers, 2);
  EXPECT_EQ(ends, 2);
  EXPECT_EQ(payload, "hello");
  EXPECT_EQ(d.offset(), bytes.size());
}

// What a router reads before the bytes arrive: how much of a header is
// missing, then whose payload comes and how much of it.
TEST(FrameDecoder, TellsWhatTheNextBytesAre) {
  const auto bytes = two_frames();
  FrameDecoder d;
  EXPECT_EQ(d.payload_left(), 0u);
  EXPECT_EQ(d.header_left(), 12u);
  std::span<const uint8_t> in = std::span(bytes).first(5);
  EXPECT_EQ(d.next(in).kind, FrameDecoder::Item::Kind::kNeedMore);
  EXPECT_EQ(d.header_left(), 7u);
  in = std::span(bytes).subspan(5, 9);  // the header's rest and 2 payload bytes
  EXPECT_EQ(d.next(in).kind, FrameDecoder::Item::Kind::kHeader);
  EXPECT_EQ(d.payload_left(), 5u);
  EXPECT_EQ(d.header().stream_id, 3u);
  EXPECT_EQ(d.next(in).kind, FrameDecoder::Item::Kind::kPayload);
  EXPECT_EQ(d.payload_left(), 3u);
  in = std::span(bytes).subspan(14, 3);
  EXPECT_TRUE(d.next(in).frame_end);
  EXPECT_EQ(d.payload_left(), 0u);
  EXPECT_EQ(d.header_left(), 12u);
}

}  // namespace
}  // namespace prowl::yamux
