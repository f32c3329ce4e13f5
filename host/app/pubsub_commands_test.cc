#include "host/app/pubsub_commands.h"

#include <gtest/gtest.h>

#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <fstream>
#include <functional>

#include <boost/asio/co_spawn.hpp>

#include "host/base/identity/key_pair.h"
#include "host/node/node.h"
#include "host/services/pubsub/testing/local_network.h"

namespace prowl::cli {
using pubsub_service::LocalNetwork;
using pubsub_service::PubsubServiceConfig;
namespace {

pubsub::Message message(std::vector<uint8_t> data) {
  return pubsub::Message{.from = identity::PeerId::from_public_key(identity::KeyPair::generate().public_key()),
                         .seqno = 0x0102030405060708,
                         .topic = "t\"1",
                         .data = std::move(data)};
}

TEST(PubsubCliTest, MessageJsonCarriesTopicAuthorHexSeqnoAndText) {
  const auto m = message({'h', 'i', 0xc3, 0xa9});  // "hié"
  EXPECT_EQ(message_json(m), "{\"topic\":\"t\\\"1\",\"from\":\"" + m.from.to_string() +
                                 "\",\"seqno\":\"0102030405060708\",\"data\":\"hi\xc3\xa9\"}");
}

TEST(PubsubCliTest, BinaryPayloadsAreHex) {
  const auto m = message({0xff, 0x00, 0xc3});
  const std::string json = message_json(m);
  EXPECT_NE(json.find("\"dataHex\":\"ff00c3\""), std::string::npos) << json;
  EXPECT_EQ(json.find("\"data\":"), std::string::npos) << json;
}

// `prowl pub` and `prowl sub` against a host of a LocalNetwork, with a client
// runner that puts the one-shot's node on the same in-memory network. The
// configuration comes from a file, as with --config.
class OneShotTest : public ::testing::Test {
 protected:
  OneShotTest() {
    net_.service(0).subscribe(kTopic, [this](const pubsub::Message& m) { got_.emplace_back(m.data.begin(), m.data.end()); });
    add_pubsub_commands(app_, context_, exit_code_,
                        [this](node::NodeConfig config, int timeout_seconds, const ClientBody& body) {
                          config.memory_network = net_.network();
                          node::Node node(net_.io().get_executor(), std::move(config));
                          bool done = false;
                          std::exception_ptr failure;
                          boost::asio::co_spawn(net_.io(), run_on(node, body),
                              [&](std::exception_ptr e) {
                                failure = e;
                                done = true;
                              });
                          if (!net_.run_until([&] { return done; }, std::chrono::seconds(timeout_seconds)))
                            throw std::runtime_error("timed out");
                          if (failure) std::rethrow_exception(failure);
                        });
  }

  // Runs with `json` as the configuration file.
  void configure(const std::string& json) {
    const std::string path = ::testing::TempDir() + "/prowl-pubsub-cli-test.json";
    std::ofstream(path) << json;
    context_.flags().config_file = path;
  }

  // Parses and runs one command line; returns what it printed on stdout.
  std::string run(std::vector<std::string> args) {
    std::reverse(args.begin(), args.end());  // CLI11 takes them in reverse
    testing::internal::CaptureStdout();
    try {
      app_.parse(args);
    } catch (...) {
      testing::internal::GetCapturedStdout();
      throw;
    }
    return testing::internal::GetCapturedStdout();
  }

  const std::string kTopic = "cli-topic";
  LocalNetwork net_{1, PubsubServiceConfig{}};
  Context context_;
  CLI::App app_;
  int exit_code_ = 1;
  std::vector<std::string> got_;
};

TEST_F(OneShotTest, PubDeliversOneMessageThroughTheBootstrapPeer) {
  const std::string out = run({"pub", kTopic, "hello pack", "--bootstrap", net_.address(0).to_string(), "--timeout", "5"});
  EXPECT_EQ(exit_code_, 0);
  EXPECT_NE(out.find("\"topic\":\"cli-topic\""), std::string::npos) << out;
  EXPECT_TRUE(net_.run_until([&] { return !got_.empty(); }, std::chrono::seconds(2)));
  EXPECT_EQ(got_, std::vector<std::string>{"hello pack"});
}

TEST_F(OneShotTest, PubRunsWithTheConfiguredSettings) {
  configure(R"({"pubsub": {"max_message_bytes": 4}})");
  try {
    run({"pub", kTopic, "hello pack", "--bootstrap", net_.address(0).to_string(), "--timeout", "5"});
    FAIL() << "a message above the configured size was published";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("10 bytes of data exceed max_message_size 4"), std::string::npos) << e.what();
  }
  EXPECT_NE(exit_code_, 0);
  EXPECT_TRUE(got_.empty());
}

TEST_F(OneShotTest, SubPrintsCountMessagesAsJsonLines) {
  // Host 0 publishes every 50 ms while the one-shot subscriber runs.
  bool stop = false;
  int published = 0;
  std::function<void()> tick;
  boost::asio::steady_timer timer(net_.io());
  tick = [&] {
    if (stop) return;
    const std::string text = "msg" + std::to_string(published++);
    net_.service(0).publish(kTopic, std::vector<uint8_t>(text.begin(), text.end()));
    timer.expires_after(std::chrono::milliseconds(50));
    timer.async_wait([&](boost::system::error_code ec) { if (!ec) tick(); });
  };
  tick();
  const std::string out = run({"sub", kTopic, "--bootstrap", net_.address(0).to_string(), "--count", "2", "--timeout", "10"});
  stop = true;
  timer.cancel();
  EXPECT_EQ(exit_code_, 0);
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 2) << out;
  EXPECT_NE(out.find("\"from\":\"" + net_.swarm(0).local_peer().to_string() + "\""), std::string::npos) << out;
  EXPECT_NE(out.find("\"data\":\"msg"), std::string::npos) << out;
}

}  // namespace
}  // namespace prowl::cli
