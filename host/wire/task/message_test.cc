#include "host/wire/task/message.h"

#include <gtest/gtest.h>

#include <string>

namespace prowl::task {
namespace {

pb::Frame offer_frame() {
  pb::Frame f;
  pb::Offer* o = f.mutable_offer();
  o->set_task_id(7);
  o->mutable_hunt()->set_name("primes");
  o->mutable_hunt()->set_version("1.0.0");
  o->set_params(R"({"from":0,"to":1000000})");
  o->set_input("abc");
  o->set_input_size(3);
  o->set_priority(1);
  o->set_deadline_ms(60000);
  o->set_max_result_bytes(1024);
  return f;
}

Status decode(const pb::Frame& f, const Limits& limits = {}) {
  pb::Frame out;
  return decode_frame(encode_frame(f), limits, &out);
}

TEST(TaskMessageTest, AnOfferRoundTrips) {
  const pb::Frame f = offer_frame();
  pb::Frame out;
  ASSERT_TRUE(decode_frame(encode_frame(f), {}, &out).ok());
  EXPECT_EQ(out.offer().hunt().name(), "primes");
  EXPECT_EQ(out.offer().input(), "abc");
}

TEST(TaskMessageTest, RefusesEveryBadField) {
  pb::Frame f = offer_frame();
  f.mutable_offer()->set_task_id(0);
  EXPECT_EQ(decode(f).message(), "task frame: offer without a task id");
  f = offer_frame();
  f.mutable_offer()->mutable_hunt()->set_name("Primes!");
  EXPECT_EQ(decode(f).message(), "task frame: hunt name has a character outside [a-z0-9._-]");
  f = offer_frame();
  f.mutable_offer()->set_input_size(2);
  EXPECT_EQ(decode(f).message(), "task frame: offer carries 3 input bytes but declares 2");
  f = offer_frame();
  f.mutable_offer()->set_deadline_ms(0);
  EXPECT_EQ(decode(f).code(), StatusCode::kInvalidInput);
  f = offer_frame();
  f.mutable_offer()->set_max_result_bytes(uint64_t{1} << 40);
  EXPECT_EQ(decode(f).code(), StatusCode::kLimit);
  f = offer_frame();
  f.mutable_offer()->set_params(std::string(70000, 'x'));
  EXPECT_EQ(decode(f).message(), "task frame: offer params of 70000 bytes (at most 65536)");
  pb::Frame empty;
  EXPECT_EQ(decode(empty).message(), "task frame: empty frame");
  const std::vector<uint8_t> garbage{0xff, 0xff, 0xff};
  pb::Frame out;
  EXPECT_EQ(decode_frame(garbage, {}, &out).message(), "task frame: not a task frame");
}

TEST(TaskMessageTest, AFrameOverItsLimitIsRefusedBeforeParsing) {
  Limits limits;
  limits.max_frame_bytes = 16;
  EXPECT_EQ(decode(offer_frame(), limits).code(), StatusCode::kLimit);
}

TEST(TaskMessageTest, ResultsCarryADigestOrAnError) {
  pb::Frame f;
  pb::Result* r = f.mutable_result();
  r->set_task_id(3);
  r->set_ok(true);
  r->set_output("5761455");
  r->set_result_size(7);
  const Digest d = digest_of(std::span(reinterpret_cast<const uint8_t*>(r->output().data()), r->output().size()));
  r->set_digest(std::string(d.begin(), d.end()));
  EXPECT_TRUE(decode(f).ok());
  r->set_digest("short");
  EXPECT_EQ(decode(f).message(), "task frame: result digest of 5 bytes (SHA-256: 32)");
  pb::Frame failed;
  failed.mutable_result()->set_task_id(3);
  EXPECT_EQ(decode(failed).message(), "task frame: result error is empty");
  failed.mutable_result()->set_error("task threw: out of memory");
  EXPECT_TRUE(decode(failed).ok());
}

TEST(TaskMessageTest, DeclinesNeedAKnownReason) {
  pb::Frame f;
  f.mutable_decline()->set_task_id(9);
  EXPECT_EQ(decode(f).message(), "task frame: decline without a known reason");
  f.mutable_decline()->set_reason(pb::DECLINE_VERSION_MISMATCH);
  f.mutable_decline()->set_detail("have primes 1.0.0, asked for 2.0.0");
  EXPECT_TRUE(decode(f).ok());
}

TEST(TaskMessageTest, DigestIsSha256) {
  const std::string abc = "abc";
  const Digest d = digest_of(std::span(reinterpret_cast<const uint8_t*>(abc.data()), abc.size()));
  // FIPS 180-2, appendix B.1.
  EXPECT_EQ(d[0], 0xba);
  EXPECT_EQ(d[1], 0x78);
  EXPECT_EQ(d[31], 0xad);
}

TEST(TaskMessageTest, TheAssemblerTakesChunksInOrderUpToTheTotal) {
  const std::vector<uint8_t> head{1, 2};
  Assembler a(head, 5);
  EXPECT_FALSE(a.complete());
  const std::vector<uint8_t> gap{9};
  EXPECT_EQ(a.add(3, gap).message(), "chunk at offset 3, expected 2");
  const std::vector<uint8_t> too_much{3, 4, 5, 6};
  EXPECT_EQ(a.add(2, too_much).code(), StatusCode::kLimit);
  const std::vector<uint8_t> rest{3, 4, 5};
  ASSERT_TRUE(a.add(2, rest).ok());
  EXPECT_TRUE(a.complete());
  EXPECT_EQ(a.take(), (std::vector<uint8_t>{1, 2, 3, 4, 5}));
}

}  // namespace
}  // namespace prowl::task
