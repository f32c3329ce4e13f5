#include "host/plugin_host/loader/output_buffer.h"

#include <gtest/gtest.h>

#include <cstring>

namespace prowl::plugins {
namespace {

TEST(OutputBufferTest, PluginStyleWritesGrowAndCommit) {
  OutputBuffer out;
  prowl_writer* w = out.writer();
  size_t total = 0;
  for (int i = 0; i < 100; ++i) {
    size_t room = 0;
    uint8_t* p = w->reserve(w->ctx, 1000, &room);
    ASSERT_NE(p, nullptr);
    ASSERT_GE(room, 1000u);
    std::memset(p, i, 1000);
    w->commit(w->ctx, 1000);
    total += 1000;
  }
  ASSERT_EQ(out.size(), total);
  EXPECT_EQ(out.data()[0], 0);
  EXPECT_EQ(out.data()[99 * 1000 + 5], 99);
}

TEST(OutputBufferTest, ZeroByteReserveGivesAPointer) {
  OutputBuffer out(0);
  size_t room = 1;
  EXPECT_NE(out.writer()->reserve(out.writer()->ctx, 0, &room), nullptr);
  EXPECT_EQ(room, 0u);
  EXPECT_EQ(out.writer()->reserve(out.writer()->ctx, 1, &room), nullptr);
}

TEST(OutputBufferTest, HardLimitIsNeverPassed) {
  OutputBuffer out(10);
  prowl_writer* w = out.writer();
  size_t room = 0;
  EXPECT_EQ(w->reserve(w->ctx, 11, &room), nullptr);
  uint8_t* p = w->reserve(w->ctx, 4, &room);
  ASSERT_NE(p, nullptr);
  EXPECT_LE(room, 10u);
  w->commit(w->ctx, 4);
  EXPECT_EQ(w->reserve(w->ctx, 7, &room), nullptr);
  ASSERT_NE(w->reserve(w->ctx, 6, &room), nullptr);
  EXPECT_EQ(room, 6u);
  // A broken plugin committing more than its room is clamped to the limit.
  w->commit(w->ctx, 1000);
  EXPECT_EQ(out.size(), 10u);
  const uint8_t one = 1;
  EXPECT_FALSE(out.append({&one, 1}));
}

TEST(OutputBufferTest, ReplaceFrontMovesTheRest) {
  OutputBuffer out;
  const uint8_t body[] = {4, 5, 6};
  const uint8_t head[] = {1, 2, 3};
  ASSERT_TRUE(out.append(body));
  ASSERT_TRUE(out.replace_front(0, head));
  EXPECT_EQ(out.to_vector(), (std::vector<uint8_t>{1, 2, 3, 4, 5, 6}));
  const uint8_t longer[] = {9, 9, 9, 9};
  ASSERT_TRUE(out.replace_front(2, longer));
  EXPECT_EQ(out.to_vector(), (std::vector<uint8_t>{9, 9, 9, 9, 3, 4, 5, 6}));
  const uint8_t shorter[] = {1};
  ASSERT_TRUE(out.replace_front(5, shorter));
  EXPECT_EQ(out.to_vector(), (std::vector<uint8_t>{1, 4, 5, 6}));
  ASSERT_TRUE(out.replace_front(4, {}));
  EXPECT_EQ(out.size(), 0u);
  ASSERT_TRUE(out.append(body));
  ASSERT_TRUE(out.replace_front(0, head));
  EXPECT_EQ(out.to_vector(), (std::vector<uint8_t>{1, 2, 3, 4, 5, 6}));
  OutputBuffer moved = std::move(out);
  EXPECT_EQ(moved.size(), 6u);
  EXPECT_EQ(out.size(), 0u);
  const uint8_t more[] = {7};
  ASSERT_TRUE(moved.append(more));
  EXPECT_EQ(moved.to_vector(), (std::vector<uint8_t>{1, 2, 3, 4, 5, 6, 7}));
  // The moved-to buffer's writer writes into the moved-to buffer.
  prowl_writer* w = moved.writer();
  size_t room = 0;
  uint8_t* p = w->reserve(w->ctx, 1, &room);
  ASSERT_NE(p, nullptr);
  *p = 8;
  w->commit(w->ctx, 1);
  EXPECT_EQ(moved.size(), 8u);
}

}  // namespace
}  // namespace prowl::plugins
