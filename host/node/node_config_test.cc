#include "host/node/node_config.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "host/base/status/status.h"

namespace prowl::node {
namespace {

config::Config parse(std::string_view json) {
  std::string error;
  auto config = config::Config::parse(json, "prowl.json", &error);
  EXPECT_TRUE(config.has_value()) << error;
  return config ? std::move(*config) : config::Config();
}

NodeConfig build(std::string_view json, const RunFlags& flags = {}) {
  return from_config(parse(json), flags, identity::KeyPair::generate(), "/data");
}

// The message from_config refuses `json` and `flags` with, or "" when it builds.
std::string refusal(std::string_view json, const RunFlags& flags = {}) {
  try {
    build(json, flags);
  } catch (const StatusError& e) {
    EXPECT_EQ(e.status().code(), StatusCode::kInvalidInput);
    return e.what();
  }
  return {};
}

std::string kad_refusal(const std::string& protocol, const std::string& source) {
  try {
    check_kad_protocol(protocol, source);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return {};
}

TEST(NodeConfigTest, KadProtocolIdsStartWithASlashAndNameTheirSource) {
  EXPECT_EQ(kad_refusal("/prowl/kad/1.0.0", "--kad-protocol"), "");
  EXPECT_EQ(kad_refusal("/ipfs/kad/1.0.0", "network.kad_protocol"), "");
  EXPECT_EQ(kad_refusal("kad", "--kad-protocol"), "--kad-protocol 'kad': a protocol id starts with '/'");
  EXPECT_EQ(kad_refusal("", "network.kad_protocol"), "network.kad_protocol '': a protocol id starts with '/'");
  EXPECT_NE(kad_refusal("/kad\n", "--kad-protocol").find("newline"), std::string::npos);
}

TEST(NodeConfigTest, WithoutAListenAddressTheNodeIsOffline) {
  const NodeConfig node = build("{}");
  EXPECT_EQ(node.mode, NodeMode::kOffline);
  EXPECT_TRUE(node.listen.empty());
}

TEST(NodeConfigTest, SettingsComeFromTheNetworkKeys) {
  const NodeConfig node = build(R"({"network": {"listen": ["/ip4/127.0.0.1/tcp/0"],
      "bootstrap": ["/ip4/127.0.0.1/tcp/4001"], "kad_protocol": "/test/kad/1.0.0", "kad_mode": "client",
      "mdns": "off", "mdns_interface": "eth7", "limits": {"max_kad_message_bytes": 8192, "max_connections": 9,
      "max_kad_records_per_publisher": 1000}},
      "howl": {"pack": "grey-wolves", "territory": "north.ridge"}, "rr": {"max_request_bytes": 11},
      "pubsub": {"d": 8, "d_lo": 7}})");
  EXPECT_EQ(node.mode, NodeMode::kListen);
  ASSERT_EQ(node.listen.size(), 1u);
  EXPECT_EQ(node.listen[0].to_string(), "/ip4/127.0.0.1/tcp/0");
  ASSERT_EQ(node.dht.bootstrap.size(), 1u);
  EXPECT_EQ(node.dht.bootstrap[0].to_string(), "/ip4/127.0.0.1/tcp/4001");
  EXPECT_EQ(node.dht.service.protocol, "/test/kad/1.0.0");
  EXPECT_FALSE(node.dht.service.server);
  EXPECT_FALSE(node.dht.mdns);
  EXPECT_EQ(node.dht.mdns_interface, "eth7");
  EXPECT_EQ(node.dht.service.max_message_bytes, 8192u);
  EXPECT_EQ(node.dht.service.records.max_records_per_publisher, 1000u);
  EXPECT_EQ(node.dht.service.data_dir, "/data");
  EXPECT_EQ(node.network.swarm.max_connections, 9u);
  EXPECT_TRUE(node.network.identify_on_connect);
  EXPECT_FALSE(node.network.serve_perf);
  EXPECT_EQ(node.howl.pack, "grey-wolves");
  EXPECT_EQ(node.howl.territory, "north.ridge");
  EXPECT_EQ(node.rr.max_request_bytes, 11u);
  EXPECT_EQ(node.pubsub.service.router.d, 8u);
  EXPECT_TRUE(node.dht.enabled);
  EXPECT_TRUE(node.pubsub.enabled);

  const NodeConfig defaults = build(R"({"network": {"listen": ["/ip4/127.0.0.1/tcp/0"]}})");
  EXPECT_EQ(defaults.dht.service.protocol, dht::kDefaultProtocol);
  EXPECT_TRUE(defaults.dht.service.server);
  EXPECT_TRUE(defaults.dht.mdns);
  EXPECT_TRUE(defaults.dht.bootstrap.empty());
  EXPECT_EQ(defaults.dht.service.max_message_bytes, dht::DhtConfig{}.max_message_bytes);
  EXPECT_EQ(defaults.dht.service.records.max_records_per_publisher,
            dht::DhtConfig{}.records.max_records_per_publisher);
}

TEST(NodeConfigTest, FlagsOverrideAndAddToTheConfiguration) {
  RunFlags flags;
  flags.listen = {"/ip4/127.0.0.1/tcp/5"};
  flags.perf = true;
  flags.subscribe = {"news"};
  flags.bootstrap = {"/ip4/127.0.0.1/tcp/2"};
  flags.no_mdns = true;
  flags.mdns_interface = "eth1";
  flags.kad_protocol = "/flag/kad/1.0.0";
  flags.kad_client = true;
  const NodeConfig node = build(R"({"network": {"listen": ["/ip4/127.0.0.1/tcp/0"],
      "bootstrap": ["/ip4/127.0.0.1/tcp/1"], "mdns_interface": "eth7"}})",
                                flags);
  ASSERT_EQ(node.listen.size(), 1u);
  EXPECT_EQ(node.listen[0].to_string(), "/ip4/127.0.0.1/tcp/5");
  EXPECT_TRUE(node.network.serve_perf);
  EXPECT_EQ(node.pubsub.topics, std::vector<std::string>{"news"});
  ASSERT_EQ(node.dht.bootstrap.size(), 2u);
  EXPECT_EQ(node.dht.bootstrap[0].to_string(), "/ip4/127.0.0.1/tcp/1");
  EXPECT_EQ(node.dht.bootstrap[1].to_string(), "/ip4/127.0.0.1/tcp/2");
  EXPECT_FALSE(node.dht.mdns);
  EXPECT_EQ(node.dht.mdns_interface, "eth1");
  EXPECT_EQ(node.dht.service.protocol, "/flag/kad/1.0.0");
  EXPECT_FALSE(node.dht.service.server);
}

TEST(NodeConfigTest, RefusesBadSettingsNamingTheKeyOrFlag) {
  const std::string listen = R"("listen": ["/ip4/127.0.0.1/tcp/0"])";
  EXPECT_EQ(refusal(R"({"howl": {"pack": "grey wolves"}})"),
            "howl.pack: group id has a character outside [A-Za-z0-9._-] at offset 4");
  EXPECT_NE(refusal(R"({"howl": {"territory": "north ridge"}})").find("howl.territory: "), std::string::npos);
  EXPECT_EQ(refusal(R"({"network": {"listen": ["/ip4/1.2.3"]}})"), "listen address: /ip4/1.2.3: invalid IPv4 address '1.2.3'");
  EXPECT_EQ(refusal(R"({"network": {)" + listen + R"(, "bootstrap": ["/ip4/1.2.3"]}})"),
            "network.bootstrap: /ip4/1.2.3: invalid IPv4 address '1.2.3'");
  RunFlags bad_bootstrap;
  bad_bootstrap.bootstrap = {"/ip4/1.2.3"};
  EXPECT_EQ(refusal(R"({"network": {)" + listen + "}}", bad_bootstrap),
            "--bootstrap: /ip4/1.2.3: invalid IPv4 address '1.2.3'");
  EXPECT_EQ(refusal(R"({"network": {)" + listen + R"(, "kad_protocol": "kad"}})"),
            "network.kad_protocol 'kad': a protocol id starts with '/'");
  RunFlags bad_protocol;
  bad_protocol.kad_protocol = "kad";
  EXPECT_EQ(refusal(R"({"network": {)" + listen + "}}", bad_protocol),
            "--kad-protocol 'kad': a protocol id starts with '/'");
  EXPECT_EQ(refusal(R"({"rr": {"default_timeout_ms": 20, "max_timeout_ms": 19}})"),
            "rr.default_timeout_ms (20) is above rr.max_timeout_ms (19)");
  EXPECT_EQ(refusal(R"({"pubsub": {"d_lo": 7}})"), "pubsub.d_lo (7) is above pubsub.d (6)");

  // Flags that need the network, without a listen address.
  RunFlags subscribe;
  subscribe.subscribe = {"news"};
  EXPECT_EQ(refusal("{}", subscribe), "--subscribe needs the network: give --listen MULTIADDR (or network.listen)");
  RunFlags no_mdns;
  no_mdns.no_mdns = true;
  EXPECT_NE(refusal("{}", no_mdns).find("need the network: give --listen MULTIADDR"), std::string::npos);
}

TEST(NodeConfigTest, AClientNodeDialsOnlyWithTheConfiguredLimits) {
  const NodeConfig node = client_config(
      parse(R"({"network": {"listen": ["/ip4/127.0.0.1/tcp/0"], "kad_protocol": "/test/kad/1.0.0",
          "limits": {"max_connections": 9, "max_kad_message_bytes": 8192}}, "pubsub": {"max_message_bytes": 5000}})"),
      identity::KeyPair::generate());
  EXPECT_EQ(node.mode, NodeMode::kClient);
  EXPECT_EQ(node.network.swarm.max_connections, 9u);
  EXPECT_FALSE(node.network.identify_on_connect);
  EXPECT_FALSE(node.dht.enabled);
  EXPECT_FALSE(node.dht.service.server);
  EXPECT_FALSE(node.dht.mdns);
  EXPECT_EQ(node.dht.service.protocol, "/test/kad/1.0.0");
  EXPECT_EQ(node.dht.service.max_message_bytes, 8192u);
  EXPECT_TRUE(node.dht.service.data_dir.empty());
  EXPECT_FALSE(node.pubsub.enabled);
  EXPECT_EQ(node.pubsub.service.router.max_message_size, 5000u);
}

}  // namespace
}  // namespace prowl::node
