#include "host/base/status/status.h"

#include <gtest/gtest.h>

namespace prowl {
namespace {

TEST(StatusTest, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kOk);
  EXPECT_EQ(s.to_string(), "ok");
}

TEST(StatusTest, CarriesCodeAndMessage) {
  const Status s = Status::NotFound("no record under /prowl/x");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.to_string(), "not found: no record under /prowl/x");
  EXPECT_EQ(s.with_context("dht get").message(), "dht get: no record under /prowl/x");
  EXPECT_EQ(s.with_context("dht get").code(), StatusCode::kNotFound);
  EXPECT_TRUE(Status::Ok().with_context("x").ok());
}

TEST(StatusTest, EveryIntegerInRangeIsANamedCode) {
  for (int64_t v = 0; v <= kLastStatusCode; ++v) {
    const auto code = status_code_from_int(v);
    ASSERT_TRUE(code.has_value()) << v;
    EXPECT_NE(status_code_name(*code), "unknown status") << v;
  }
  EXPECT_FALSE(status_code_from_int(-1).has_value());
  EXPECT_FALSE(status_code_from_int(kLastStatusCode + 1).has_value());
}

TEST(StatusTest, ErrorCarriesTheStatus) {
  try {
    throw StatusError(StatusCode::kLimit, "pubsub.d_lo (7) is above pubsub.d (6)");
  } catch (const StatusError& e) {
    EXPECT_STREQ(e.what(), "pubsub.d_lo (7) is above pubsub.d (6)");
    EXPECT_EQ(e.status().code(), StatusCode::kLimit);
  }
}

}  // namespace
}  // namespace prowl
