#include "host/wire/noise/frame_decoder.h"

#include <gtest/gtest.h>

namespace prowl::noise {
namespace {

std::vector<uint8_t> framed(const std::vector<uint8_t>& body) {
  std::vector<uint8_t> out(kFrameHeaderLength);
  put_frame_length(out.data(), body.size());
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

TEST(FrameDecoder, ReturnsWholeFramesAsViewsIntoTheInput) {
  auto wire = framed({1, 2, 3});
  const auto second = framed({});
  wire.insert(wire.end(), second.begin(), second.end());
  FrameDecoder decoder;
  std::span<const uint8_t> in(wire);
  auto a = decoder.next(in);
  ASSERT_TRUE(a);
  EXPECT_EQ(std::vector<uint8_t>(a->begin(), a->end()), (std::vector<uint8_t>{1, 2, 3}));
  EXPECT_EQ(a->data(), wire.data() + 2);  // no copy
  auto b = decoder.next(in);
  ASSERT_TRUE(b);
  EXPECT_TRUE(b->empty());
  EXPECT_FALSE(decoder.next(in));
  EXPECT_TRUE(in.empty());
}

TEST(FrameDecoder, GathersFramesSplitAcrossInputsByteByByte) {
  std::vector<uint8_t> body(65535);
  for (size_t i = 0; i < body.size(); ++i) body[i] = static_cast<uint8_t>(i * 7);
  const auto wire = framed(body);
  EXPECT_EQ(wire[0], 0xff);
  EXPECT_EQ(wire[1], 0xff);
  FrameDecoder decoder;
  size_t frames = 0;
  for (size_t i = 0; i < wire.size(); ++i) {
    std::span<const uint8_t> in(&wire[i], 1);
    auto frame = decoder.next(in);
    EXPECT_TRUE(in.empty());
    if (i + 1 < wire.size()) {
      EXPECT_FALSE(frame);
      EXPECT_EQ(decoder.buffered(), i + 1);
    } else {
      ASSERT_TRUE(frame);
      EXPECT_EQ(std::vector<uint8_t>(frame->begin(), frame->end()), body);
      ++frames;
    }
  }
  EXPECT_EQ(frames, 1u);
  std::span<const uint8_t> none;
  EXPECT_FALSE(decoder.next(none));
  EXPECT_EQ(decoder.buffered(), 0u);
}

TEST(FrameDecoder, CompletesABufferedFrameThenContinuesInPlace) {
  auto wire = framed({9, 9, 9, 9});
  const auto second = framed({5});
  wire.insert(wire.end(), second.begin(), second.end());
  FrameDecoder decoder;
  std::span<const uint8_t> head(wire.data(), 3);
  EXPECT_FALSE(decoder.next(head));
  std::span<const uint8_t> rest(wire.data() + 3, wire.size() - 3);
  auto a = decoder.next(rest);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->size(), 4u);
  auto b = decoder.next(rest);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->data(), wire.data() + 8);
  EXPECT_EQ((*b)[0], 5);
}

}  // namespace
}  // namespace prowl::noise
