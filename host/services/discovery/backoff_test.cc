#include "host/services/discovery/backoff.h"

#include <gtest/gtest.h>

namespace prowl::discovery {
namespace {

using std::chrono::milliseconds;

TEST(BackoffTest, DoublesUpToTheCapAndStartsOverAfterASuccess) {
  Backoff backoff(milliseconds(100), milliseconds(700));
  EXPECT_EQ(backoff.failed(), milliseconds(100));
  EXPECT_EQ(backoff.failed(), milliseconds(200));
  EXPECT_EQ(backoff.failed(), milliseconds(400));
  EXPECT_EQ(backoff.failed(), milliseconds(700));
  EXPECT_EQ(backoff.failed(), milliseconds(700));
  EXPECT_EQ(backoff.failures(), 5u);
  backoff.succeeded();
  EXPECT_EQ(backoff.failures(), 0u);
  EXPECT_EQ(backoff.failed(), milliseconds(100));
}

}  // namespace
}  // namespace prowl::discovery
