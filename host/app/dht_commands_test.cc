#include "host/app/dht_commands.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "host/base/config/config.h"

namespace prowl::dht {
namespace {

std::string refusal(const std::string& protocol, const std::string& source) {
  try {
    check_kad_protocol(protocol, source);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return {};
}

TEST(DhtCliTest, KadProtocolIdsStartWithASlashAndNameTheirSource) {
  EXPECT_EQ(refusal("/prowl/kad/1.0.0", "--kad-protocol"), "");
  EXPECT_EQ(refusal("/ipfs/kad/1.0.0", "network.kad_protocol"), "");
  EXPECT_EQ(refusal("kad", "--kad-protocol"), "--kad-protocol 'kad': a protocol id starts with '/'");
  EXPECT_EQ(refusal("", "network.kad_protocol"), "network.kad_protocol '': a protocol id starts with '/'");
  EXPECT_NE(refusal("/kad\n", "--kad-protocol").find("newline"), std::string::npos);
}

TEST(DhtCliTest, SettingsComeFromTheNetworkKeys) {
  std::string error;
  auto config = config::Config::parse(R"({"network": {"bootstrap": ["/ip4/127.0.0.1/tcp/4001"],
      "kad_protocol": "/test/kad/1.0.0", "kad_mode": "client", "mdns": "off", "mdns_interface": "eth7",
      "limits": {"max_kad_message_bytes": 8192, "max_kad_records_per_publisher": 1000}}})",
                                      "test", &error);
  ASSERT_TRUE(config) << error;
  const RunDhtSettings settings = run_dht_settings(*config, "/data");
  EXPECT_EQ(settings.bootstrap, std::vector<std::string>{"/ip4/127.0.0.1/tcp/4001"});
  EXPECT_EQ(settings.kad_protocol, "/test/kad/1.0.0");
  EXPECT_EQ(settings.kad_mode, "client");
  EXPECT_EQ(settings.mdns, "off");
  EXPECT_EQ(settings.mdns_interface, "eth7");
  EXPECT_EQ(settings.max_message_bytes, 8192u);
  EXPECT_EQ(settings.max_records_per_publisher, 1000u);
  EXPECT_EQ(settings.data_dir, "/data");

  const RunDhtSettings defaults = run_dht_settings(config::Config(), "/data");
  EXPECT_EQ(defaults.kad_protocol, kDefaultProtocol);
  EXPECT_EQ(defaults.kad_mode, "server");
  EXPECT_EQ(defaults.mdns, "on");
  EXPECT_TRUE(defaults.bootstrap.empty());
  EXPECT_EQ(defaults.max_message_bytes, kad::kMaxMessageBytes);
  EXPECT_EQ(defaults.max_message_bytes, DhtConfig{}.max_message_bytes);
  EXPECT_EQ(defaults.max_records_per_publisher, DhtConfig{}.records.max_records_per_publisher);
}

TEST(DhtCliTest, RunFlagsParseAndRefuseBadValuesAsTheyParse) {
  CLI::App app;
  auto flags = add_run_dht_options(app);
  EXPECT_FALSE(flags->given());
  app.parse("--no-mdns --bootstrap /ip4/127.0.0.1/tcp/1 --kad-client "
            "--bootstrap /ip4/127.0.0.1/tcp/2/p2p/12D3KooWQ5znhepb3bzPE42gCbrrYqjKZnEomGGxy1MhBbosHLht",
            false);
  EXPECT_EQ(flags->bootstrap.size(), 2u);
  EXPECT_TRUE(flags->no_mdns);
  EXPECT_TRUE(flags->kad_client);
  EXPECT_TRUE(flags->given());

  for (const char* args : {"--bootstrap /ip4/1.2.3", "--bootstrap not-an-addr", "--kad-protocol kad"}) {
    CLI::App bad;
    add_run_dht_options(bad);
    EXPECT_THROW(bad.parse(args, false), CLI::ValidationError) << args;
  }
}

}  // namespace
}  // namespace prowl::dht
