#include <gtest/gtest.h>

#include "host/app/commands.h"

namespace prowl::cli {
namespace {

TEST(RunCommandTest, FlagsParseAndRefuseBadValuesAsTheyParse) {
  CLI::App app;
  auto options = add_run_options(app);
  EXPECT_FALSE(options->node.dht_flags_given());
  app.parse("--no-mdns --bootstrap /ip4/127.0.0.1/tcp/1 --kad-client "
            "--bootstrap /ip4/127.0.0.1/tcp/2/p2p/12D3KooWQ5znhepb3bzPE42gCbrrYqjKZnEomGGxy1MhBbosHLht "
            "--subscribe news --publish-stdin --exit-after 1.5",
            false);
  EXPECT_EQ(options->node.bootstrap.size(), 2u);
  EXPECT_TRUE(options->node.no_mdns);
  EXPECT_TRUE(options->node.kad_client);
  EXPECT_TRUE(options->node.dht_flags_given());
  EXPECT_EQ(options->node.subscribe, std::vector<std::string>{"news"});
  EXPECT_TRUE(options->publish_stdin);
  EXPECT_EQ(options->exit_after, 1.5);

  for (const char* args : {"--bootstrap /ip4/1.2.3", "--bootstrap not-an-addr", "--kad-protocol kad"}) {
    CLI::App bad;
    add_run_options(bad);
    EXPECT_THROW(bad.parse(args, false), CLI::ValidationError) << args;
  }
}

}  // namespace
}  // namespace prowl::cli
