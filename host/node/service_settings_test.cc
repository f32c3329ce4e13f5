#include "host/node/service_settings.h"

#include <gtest/gtest.h>

#include <string>

#include "host/base/status/status.h"
#include "host/wire/pubsub/message_id.h"

namespace prowl::node {
namespace {

using std::chrono::milliseconds;

config::Config parse(std::string_view json) {
  std::string error;
  auto config = config::Config::parse(json, "prowl.json", &error);
  EXPECT_TRUE(config.has_value()) << error;
  return config ? std::move(*config) : config::Config();
}

// The StatusError message `make` throws for `json`, or "" when it throws none.
template <typename Make>
std::string refusal(std::string_view json, Make make) {
  const config::Config config = parse(json);
  try {
    make(config);
  } catch (const StatusError& e) {
    return e.what();
  }
  return "";
}

std::string pubsub_refusal(std::string_view json) { return refusal(json, pubsub_settings); }

TEST(ServiceSettings, DefaultsAreTheStructDefaults) {
  const config::Config defaults;
  const NetworkOptions node = network_options(defaults);
  EXPECT_EQ(node.max_identify_bytes, protocols::kMaxIdentifyBytes);
  EXPECT_EQ(node.swarm.max_connections, swarm::SwarmConfig{}.max_connections);
  EXPECT_FALSE(node.serve_perf);
  EXPECT_FALSE(node.identify_on_connect);

  const pubsub::RouterConfig r = pubsub_settings(defaults).router;
  const pubsub::RouterConfig d;
  EXPECT_EQ(r.d, d.d);
  EXPECT_EQ(r.d_lo, d.d_lo);
  EXPECT_EQ(r.d_hi, d.d_hi);
  EXPECT_EQ(r.d_score, d.d_score);
  EXPECT_EQ(r.d_out, d.d_out);
  EXPECT_EQ(r.d_lazy, d.d_lazy);
  EXPECT_EQ(r.heartbeat_interval, d.heartbeat_interval);
  EXPECT_EQ(r.seen_ttl, d.seen_ttl);
  EXPECT_EQ(r.validation_timeout, d.validation_timeout);
  EXPECT_EQ(r.flood_publish, d.flood_publish);
  EXPECT_FALSE(r.message_id);  // the router's default: author + seqno
  EXPECT_EQ(r.max_pending_validations, d.max_pending_validations);
  EXPECT_EQ(r.max_message_size, d.max_message_size);
  EXPECT_EQ(r.rpc_limits.max_rpc_bytes, d.rpc_limits.max_rpc_bytes);
  EXPECT_EQ(r.max_topics_per_peer, d.max_topics_per_peer);
  EXPECT_EQ(r.max_ihave_length, d.max_ihave_length);
  EXPECT_EQ(r.max_ihave_messages, d.max_ihave_messages);
  EXPECT_EQ(r.rpc_limits.max_iwant_ids, d.rpc_limits.max_iwant_ids);
  EXPECT_EQ(pubsub_settings(defaults).signature_check_threads, default_signature_check_threads());

  const rr::RequestResponseConfig rr = rr_settings(defaults);
  const rr::RequestResponseConfig rd;
  EXPECT_EQ(rr.max_request_bytes, rd.max_request_bytes);
  EXPECT_EQ(rr.max_response_bytes, rd.max_response_bytes);
  EXPECT_EQ(rr.max_outbound_per_peer, rd.max_outbound_per_peer);
  EXPECT_EQ(rr.max_inbound_per_peer, rd.max_inbound_per_peer);
  EXPECT_EQ(rr.default_timeout, rd.default_timeout);
  EXPECT_EQ(rr.max_timeout, rd.max_timeout);
  EXPECT_EQ(rr.inbound_timeout, rd.inbound_timeout);
}

TEST(ServiceSettings, EveryKeyReachesItsField) {
  EXPECT_EQ(network_options(parse(R"({"network": {"limits": {"max_identify_bytes": 2048,
      "max_connections": 9}}})"))
                .max_identify_bytes,
            2048u);
  EXPECT_EQ(network_options(parse(R"({"network": {"limits": {"max_connections": 9}}})")).swarm.max_connections, 9u);

  const pubsub::RouterConfig r = pubsub_settings(parse(R"({"pubsub": {
    "d": 8, "d_lo": 7, "d_hi": 20, "d_score": 3, "d_out": 1, "d_lazy": 9, "heartbeat_interval_ms": 700,
    "seen_ttl_ms": 5000, "validation_timeout_ms": 1500, "flood_publish": "off", "message_id": "content-sha256",
    "max_pending_validations": 77, "max_message_bytes": 2000, "max_rpc_bytes": 9000, "max_topics_per_peer": 33,
    "max_ihave_length": 40, "max_ihave_messages": 4, "max_iwant_ids": 50}})"))
                                   .router;
  EXPECT_EQ(r.d, 8u);
  EXPECT_EQ(r.d_lo, 7u);
  EXPECT_EQ(r.d_hi, 20u);
  EXPECT_EQ(r.d_score, 3u);
  EXPECT_EQ(r.d_out, 1u);
  EXPECT_EQ(r.d_lazy, 9u);
  EXPECT_EQ(r.heartbeat_interval, milliseconds(700));
  EXPECT_EQ(r.seen_ttl, milliseconds(5000));
  EXPECT_EQ(r.validation_timeout, milliseconds(1500));
  EXPECT_FALSE(r.flood_publish);
  EXPECT_EQ(r.max_pending_validations, 77u);
  EXPECT_EQ(r.max_message_size, 2000u);
  EXPECT_EQ(r.rpc_limits.max_rpc_bytes, 9000u);
  EXPECT_EQ(r.max_topics_per_peer, 33u);
  EXPECT_EQ(r.max_ihave_length, 40u);
  EXPECT_EQ(r.max_ihave_messages, 4u);
  EXPECT_EQ(r.rpc_limits.max_iwant_ids, 50u);
  EXPECT_EQ(pubsub_settings(parse(R"({"pubsub": {"signature_check_threads": 0}})")).signature_check_threads, 0u);
  EXPECT_EQ(pubsub_settings(parse(R"({"pubsub": {"signature_check_threads": 3}})")).signature_check_threads, 3u);
  // content-sha256: the id is the data's digest, whoever wrote it.
  ASSERT_TRUE(r.message_id);
  pubsub::pb::Message m;
  m.set_from("author");
  m.set_seqno("12345678");
  m.set_data("abc");
  EXPECT_EQ(r.message_id(m), pubsub::content_message_id(m));
  EXPECT_NE(r.message_id(m), pubsub::default_message_id(m));

  const rr::RequestResponseConfig rr = rr_settings(parse(R"({"rr": {"max_request_bytes": 11,
    "max_response_bytes": 12, "default_timeout_ms": 13, "max_timeout_ms": 14, "inbound_timeout_ms": 15,
    "max_outbound_per_peer": 16, "max_inbound_per_peer": 17}})"));
  EXPECT_EQ(rr.max_request_bytes, 11u);
  EXPECT_EQ(rr.max_response_bytes, 12u);
  EXPECT_EQ(rr.default_timeout, milliseconds(13));
  EXPECT_EQ(rr.max_timeout, milliseconds(14));
  EXPECT_EQ(rr.inbound_timeout, milliseconds(15));
  EXPECT_EQ(rr.max_outbound_per_peer, 16u);
  EXPECT_EQ(rr.max_inbound_per_peer, 17u);
}

TEST(ServiceSettings, RefusesInconsistentPubsubSettingsNamingTheKeys) {
  EXPECT_EQ(pubsub_refusal(R"({"pubsub": {"d_lo": 7}})"), "pubsub.d_lo (7) is above pubsub.d (6)");
  EXPECT_EQ(pubsub_refusal(R"({"pubsub": {"d": 13}})"), "pubsub.d (13) is above pubsub.d_hi (12)");
  EXPECT_EQ(pubsub_refusal(R"({"pubsub": {"d": 5, "d_score": 6}})"), "pubsub.d_score (6) is above pubsub.d (5)");
  EXPECT_EQ(pubsub_refusal(R"({"pubsub": {"d_out": 5}})"), "pubsub.d_out (5) is above pubsub.d_lo - 1 (4)");
  EXPECT_EQ(pubsub_refusal(R"({"pubsub": {"d": 12, "d_lo": 10, "d_out": 7}})"),
            "pubsub.d_out (7) is above pubsub.d / 2 (6)");
  EXPECT_EQ(pubsub_refusal(R"({"pubsub": {"max_message_bytes": 1044481}})"),
            "pubsub.max_message_bytes + 4096 (1048577) is above pubsub.max_rpc_bytes (1048576)");
  EXPECT_EQ(pubsub_refusal(R"({"pubsub": {"max_rpc_bytes": 8192}})"),
            "pubsub.max_message_bytes + 4096 (1028096) is above pubsub.max_rpc_bytes (8192)");
  EXPECT_EQ(pubsub_refusal(R"({"pubsub": {"max_iwant_ids": 4999}})"),
            "pubsub.max_ihave_length (5000) is above pubsub.max_iwant_ids (4999)");
  // The boundaries themselves are fine.
  EXPECT_EQ(pubsub_refusal(R"({"pubsub": {"d": 4, "d_lo": 4, "d_hi": 4, "d_score": 4, "d_out": 2,
      "max_message_bytes": 4096, "max_rpc_bytes": 8192, "max_ihave_length": 7, "max_iwant_ids": 7}})"),
            "");
}

TEST(ServiceSettings, RefusesADefaultTimeoutAboveTheMaximum) {
  EXPECT_EQ(refusal(R"({"rr": {"default_timeout_ms": 300001}})", rr_settings),
            "rr.default_timeout_ms (300001) is above rr.max_timeout_ms (300000)");
  EXPECT_EQ(refusal(R"({"rr": {"default_timeout_ms": 20, "max_timeout_ms": 19}})", rr_settings),
            "rr.default_timeout_ms (20) is above rr.max_timeout_ms (19)");
  EXPECT_EQ(refusal(R"({"rr": {"default_timeout_ms": 20, "max_timeout_ms": 20}})", rr_settings), "");
}

}  // namespace
}  // namespace prowl::node
