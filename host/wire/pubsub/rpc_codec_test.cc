#include "host/wire/pubsub/rpc_codec.h"

#include <gtest/gtest.h>

namespace prowl::pubsub {
namespace {

std::vector<uint8_t> bytes_of(const pb::RPC& rpc) {
  const std::string s = rpc.SerializeAsString();
  return {s.begin(), s.end()};
}

pb::RPC sample() {
  pb::RPC rpc;
  auto* sub = rpc.add_subscriptions();
  sub->set_subscribe(true);
  sub->set_topicid("howl/pack");
  auto* m = rpc.add_publish();
  m->set_from("author");
  m->set_data("hello");
  m->set_seqno(std::string(8, '\1'));
  m->set_topic("howl/pack");
  auto* c = rpc.mutable_control();
  auto* ihave = c->add_ihave();
  ihave->set_topicid("howl/pack");
  ihave->add_messageids("id-1");
  c->add_iwant()->add_messageids("id-2");
  c->add_graft()->set_topicid("howl/pack");
  auto* prune = c->add_prune();
  prune->set_topicid("howl/pack");
  prune->set_backoff(60);
  prune->add_peers()->set_peerid("peer");
  c->add_idontwant()->add_messageids("id-3");
  return rpc;
}

TEST(RpcCodec, RoundTripsEveryField) {
  const pb::RPC rpc = sample();
  std::string error;
  auto decoded = decode_rpc(bytes_of(rpc), RpcLimits{}, &error);
  ASSERT_TRUE(decoded) << error;
  EXPECT_EQ(decoded->SerializeAsString(), rpc.SerializeAsString());
  auto bodies = encode_rpc(rpc, 1 << 20);
  ASSERT_EQ(bodies.size(), 1u);
  EXPECT_EQ(bodies[0], bytes_of(rpc));
}

TEST(RpcCodec, IdontwantIsFieldFiveOfControl) {
  pb::RPC rpc;
  rpc.mutable_control()->add_idontwant()->add_messageids("x");
  // RPC.control (3, LEN) { ControlMessage.idontwant (5, LEN) { messageIDs (1, LEN) "x" } }
  EXPECT_EQ(bytes_of(rpc), (std::vector<uint8_t>{0x1a, 0x05, 0x2a, 0x03, 0x0a, 0x01, 'x'}));
}

TEST(RpcCodec, RefusesMalformedBytes) {
  std::string error;
  const std::vector<uint8_t> junk{0x0a, 0x05, 0x01};
  EXPECT_FALSE(decode_rpc(junk, RpcLimits{}, &error));
  EXPECT_NE(error.find("malformed protobuf"), std::string::npos) << error;
}

TEST(RpcCodec, RefusesOversizedRpc) {
  RpcLimits limits;
  limits.max_rpc_bytes = 16;
  std::string error;
  EXPECT_FALSE(decode_rpc(bytes_of(sample()), limits, &error));
  EXPECT_NE(error.find("exceed the limit of 16"), std::string::npos) << error;
}

TEST(RpcCodec, NamesTheFieldOverALimit) {
  RpcLimits limits;
  limits.max_topic_bytes = 4;
  pb::RPC rpc;
  rpc.add_subscriptions()->set_topicid("ok");
  rpc.add_subscriptions()->set_topicid("too long");
  std::string error;
  EXPECT_FALSE(decode_rpc(bytes_of(rpc), limits, &error));
  EXPECT_NE(error.find("subscriptions[1] topic bytes"), std::string::npos) << error;

  limits = RpcLimits{};
  limits.max_ihave_ids = 3;
  rpc.Clear();
  for (int i = 0; i < 2; ++i) {
    auto* ihave = rpc.mutable_control()->add_ihave();
    ihave->add_messageids("a");
    ihave->add_messageids("b");
  }
  EXPECT_FALSE(decode_rpc(bytes_of(rpc), limits, &error));
  EXPECT_NE(error.find("control.ihave message ids: 4 exceeds the limit of 3"), std::string::npos)
      << error;

  limits = RpcLimits{};
  limits.max_iwant_ids = 1;
  rpc.Clear();
  rpc.mutable_control()->add_iwant()->add_messageids("a");
  rpc.mutable_control()->add_iwant()->add_messageids("b");
  EXPECT_FALSE(decode_rpc(bytes_of(rpc), limits, &error));
  EXPECT_NE(error.find("control.iwant message ids"), std::string::npos) << error;
}

TEST(RpcCodec, SplitsLargeRpcsInOrder) {
  pb::RPC rpc;
  for (int i = 0; i < 10; ++i) {
    auto* m = rpc.add_publish();
    m->set_topic("t");
    m->set_data(std::string(300, static_cast<char>('a' + i)));
  }
  rpc.mutable_control()->add_graft()->set_topicid("t");
  auto bodies = encode_rpc(rpc, 1000);
  ASSERT_GT(bodies.size(), 3u);
  std::string datas;
  int grafts = 0;
  for (const auto& body : bodies) {
    ASSERT_LE(body.size(), 1000u);
    auto piece = decode_rpc(body, RpcLimits{});
    ASSERT_TRUE(piece);
    for (const auto& m : piece->publish()) datas += m.data().substr(0, 1);
    grafts += piece->control().graft_size();
  }
  EXPECT_EQ(datas, "abcdefghij");
  EXPECT_EQ(grafts, 1);
}

TEST(RpcCodec, EmptyRpcYieldsNoBody) { EXPECT_TRUE(encode_rpc(pb::RPC{}, 100).empty()); }

}  // namespace
}  // namespace prowl::pubsub
