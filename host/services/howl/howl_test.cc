#include "host/services/howl/howl_service.h"

#include <gtest/gtest.h>

#include <map>

#include "host/base/identity/key_pair.h"
#include "host/services/pubsub/testing/local_network.h"

namespace prowl::howl {
namespace {

using namespace std::chrono_literals;
using pubsub_service::LocalNetwork;

std::vector<uint8_t> bytes(const std::string& text) { return {text.begin(), text.end()}; }

Howl sample() {
  return Howl{.sender = identity::PeerId::from_public_key(identity::KeyPair::generate().public_key()),
              .pattern = Pattern::kWarning,
              .range = Range::kPack,
              .group = "north-ridge",
              .frequency = 880,
              .payload = bytes("wolves at the gate"),
              .timestamp_ms = 1'760'000'000'000};
}

TEST(HowlCodecTest, RoundTrips) {
  const Howl howl = sample();
  std::string error;
  const auto back = decode_howl(encode_howl(howl), &error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(back->sender, howl.sender);
  EXPECT_EQ(back->pattern, Pattern::kWarning);
  EXPECT_EQ(back->range, Range::kPack);
  EXPECT_EQ(back->group, "north-ridge");
  EXPECT_EQ(back->frequency, 880u);
  EXPECT_EQ(back->payload, howl.payload);
  EXPECT_EQ(back->timestamp_ms, howl.timestamp_ms);
}

TEST(HowlCodecTest, RefusesMalformedHowlsNamingTheField) {
  std::string error;
  Howl howl = sample();
  howl.frequency = 1001;
  EXPECT_FALSE(decode_howl(encode_howl(howl), &error));
  EXPECT_NE(error.find("frequency"), std::string::npos) << error;

  howl = sample();
  howl.group = "";
  EXPECT_FALSE(decode_howl(encode_howl(howl), &error));
  EXPECT_NE(error.find("group"), std::string::npos) << error;

  howl = sample();
  howl.range = Range::kGlobal;  // global howls carry no group
  EXPECT_FALSE(decode_howl(encode_howl(howl), &error));
  EXPECT_NE(error.find("group"), std::string::npos) << error;

  auto encoded = encode_howl(sample());
  encoded[2] = 0x55;  // the sender multihash code: neither identity nor sha256
  EXPECT_FALSE(decode_howl(encoded, &error));
  EXPECT_NE(error.find("sender"), std::string::npos) << error;

  const std::vector<uint8_t> junk{0x12, 0xff};
  EXPECT_FALSE(decode_howl(junk, &error));
  EXPECT_NE(error.find("protobuf"), std::string::npos) << error;

  EXPECT_FALSE(decode_howl(std::vector<uint8_t>(kMaxHowlBytes + 1), &error));
  EXPECT_NE(error.find("exceeds"), std::string::npos) << error;
}

TEST(HowlCodecTest, TopicsFollowTheDocumentedMapping) {
  EXPECT_EQ(howl_topic(Range::kGlobal, "", Pattern::kGathering), "/prowl/howl/1/global/gathering");
  EXPECT_EQ(howl_topic(Range::kPack, "alpha", Pattern::kHunting), "/prowl/howl/1/pack/alpha/hunting");
  EXPECT_EQ(howl_topic(Range::kTerritory, "t-9", Pattern::kTerritory), "/prowl/howl/1/territory/t-9/territory");
  EXPECT_FALSE(valid_group(Range::kPack, "a/b"));
  EXPECT_FALSE(valid_group(Range::kPack, std::string(kMaxGroupBytes + 1, 'a')));
  for (Pattern p : kPatterns) EXPECT_EQ(parse_pattern(pattern_name(p)), p);
  for (Range r : kRanges) EXPECT_EQ(parse_range(range_name(r)), r);
  EXPECT_FALSE(parse_pattern("barking"));
}

pubsub_service::PubsubServiceConfig fast_config() {
  pubsub_service::PubsubServiceConfig config;
  config.router.heartbeat_interval = 100ms;
  return config;
}

TEST(HowlServiceTest, HowlsReachThePackAndAreCountedPerPattern) {
  LocalNetwork net(3, fast_config());
  HowlService alpha(net.service(0), {.pack = "alpha"});
  HowlService beta(net.service(1), {.pack = "alpha"});
  HowlService stranger(net.service(2), {.pack = "omega"});
  std::vector<Howl> heard_by_beta;
  std::vector<Howl> heard_by_stranger;
  beta.on_howl(Pattern::kHunting, [&](const Howl& h) { heard_by_beta.push_back(h); });
  beta.on_howl(Pattern::kWarning, [&](const Howl& h) { heard_by_beta.push_back(h); }, Range::kGlobal);
  stranger.on_howl(Pattern::kHunting, [&](const Howl& h) { heard_by_stranger.push_back(h); });
  alpha.on_howl(Pattern::kSocial, [](const Howl&) {});  // alpha joins a topic too
  net.connect(0, 1);
  net.connect(0, 2);
  net.connect(1, 2);
  ASSERT_TRUE(net.run_until(
      [&] {
        return net.service(0).router().topic_peers(howl_topic(Range::kPack, "alpha", Pattern::kHunting)).size() ==
                   1 &&
               net.service(0).router().topic_peers(howl_topic(Range::kGlobal, "", Pattern::kWarning)).size() == 1;
      },
      5s));

  std::string error;
  ASSERT_TRUE(alpha.howl(Pattern::kHunting, Range::kPack, 420, bytes("elk by the river"), &error)) << error;
  ASSERT_TRUE(alpha.howl(Pattern::kWarning, Range::kGlobal, 1000, bytes("fire"), &error)) << error;
  ASSERT_TRUE(alpha.howl(Pattern::kWarning, Range::kPack, 1000, bytes("not for beta's global-only handler")));
  EXPECT_FALSE(alpha.howl(Pattern::kSocial, Range::kPack, 1001, bytes("too loud"), &error));
  EXPECT_NE(error.find("frequency"), std::string::npos);

  ASSERT_TRUE(net.run_until([&] { return heard_by_beta.size() == 2; }, 5s));
  net.run_for(300ms);
  ASSERT_EQ(heard_by_beta.size(), 2u);
  EXPECT_EQ(heard_by_beta[0].pattern, Pattern::kHunting);
  EXPECT_EQ(heard_by_beta[0].frequency, 420u);
  EXPECT_EQ(heard_by_beta[0].group, "alpha");
  EXPECT_EQ(heard_by_beta[0].sender, net.swarm(0).local_peer());
  EXPECT_EQ(heard_by_beta[1].payload, bytes("fire"));
  EXPECT_TRUE(heard_by_stranger.empty());  // another pack's hunting topic
  EXPECT_EQ(alpha.sent(Pattern::kHunting), 1u);
  EXPECT_EQ(alpha.sent(Pattern::kWarning), 2u);
  EXPECT_EQ(alpha.sent(Pattern::kSocial), 0u);
  EXPECT_EQ(beta.received(Pattern::kHunting), 1u);
  EXPECT_EQ(beta.received(Pattern::kWarning), 1u);
}

TEST(HowlServiceTest, HowlsClaimingAnotherSenderAreRejected) {
  LocalNetwork net(2, fast_config());
  HowlService listener(net.service(1));
  int heard = 0;
  listener.on_howl(Pattern::kGathering, [&](const Howl&) { ++heard; }, Range::kGlobal);
  const std::string topic = howl_topic(Range::kGlobal, "", Pattern::kGathering);
  net.service(0).subscribe(topic, [](const pubsub::Message&) {});
  net.connect(0, 1);
  ASSERT_TRUE(net.run_until([&] { return !net.service(0).router().mesh_peers(topic).empty(); }, 5s));

  Howl forged = sample();  // signed by host 0 but naming someone else as the howler
  forged.range = Range::kGlobal;
  forged.group.clear();
  forged.pattern = Pattern::kGathering;
  ASSERT_TRUE(net.service(0).publish(topic, encode_howl(forged)));
  ASSERT_TRUE(net.service(0).publish(topic, bytes("not a howl")));
  ASSERT_TRUE(net.run_until([&] { return net.service(1).stats().validations_rejected == 2; }, 5s));
  EXPECT_EQ(heard, 0);
  EXPECT_LT(net.service(1).router().score(net.swarm(0).local_peer()), 0.0);
}

TEST(HowlServiceTest, OffHowlStopsHearingAndTheLastOneLeavesTheTopic) {
  LocalNetwork net(2, fast_config());
  HowlService howler(net.service(0));
  HowlService listener(net.service(1));
  int wide = 0;
  int narrow = 0;
  const HowlSubscriptionId every_range = listener.on_howl(Pattern::kSocial, [&](const Howl&) { ++wide; });
  const HowlSubscriptionId global = listener.on_howl(Pattern::kSocial, [&](const Howl&) { ++narrow; }, Range::kGlobal);
  const std::string topic = howl_topic(Range::kGlobal, "", Pattern::kSocial);
  EXPECT_TRUE(listener.hears(Pattern::kSocial, Range::kPack));
  EXPECT_EQ(net.service(1).validators(topic), 1u);  // one per topic, however many handlers
  net.connect(0, 1);
  ASSERT_TRUE(net.run_until([&] { return net.service(0).router().topic_peers(topic).size() == 1; }, 5s));
  ASSERT_TRUE(howler.howl(Pattern::kSocial, Range::kGlobal, 10, bytes("one")));
  ASSERT_TRUE(net.run_until([&] { return wide == 1 && narrow == 1; }, 5s));

  listener.off_howl(every_range);
  EXPECT_FALSE(listener.hears(Pattern::kSocial, Range::kPack));
  EXPECT_EQ(net.service(1).validators(howl_topic(Range::kPack, "default", Pattern::kSocial)), 0u);
  EXPECT_TRUE(listener.hears(Pattern::kSocial, Range::kGlobal));  // still wanted by the other handler
  ASSERT_TRUE(howler.howl(Pattern::kSocial, Range::kGlobal, 10, bytes("two")));
  ASSERT_TRUE(net.run_until([&] { return narrow == 2; }, 5s));
  EXPECT_EQ(wide, 1);

  listener.off_howl(global);
  listener.off_howl(global);  // unknown now: ignored
  EXPECT_FALSE(listener.hears(Pattern::kSocial, Range::kGlobal));
  EXPECT_EQ(net.service(1).validators(topic), 0u);
  EXPECT_FALSE(net.service(1).router().subscribed(topic));
  EXPECT_TRUE(net.run_until([&] { return net.service(0).router().topic_peers(topic).empty(); }, 5s));
  EXPECT_EQ(listener.received(Pattern::kSocial), 3u);  // "one" reached two handlers
}

}  // namespace
}  // namespace prowl::howl
