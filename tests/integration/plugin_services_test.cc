// Two real hosts (swarms on the in-memory transport with the full upgrade
// path, identify, the DHT, gossipsub, howls, request-response, the plugin
// bridges and a registry each) in one process. Host A loads fixture-svc-a
// and fixture-c-abi, host B fixture-svc-b and fixture-pack (one library of
// four plugins); the test sends the svc plugins commands over
// request-response (A's plugin from B's host and back), probes the C plugin
// through its exported function, and stops one role of the pack library.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/dll/shared_library.hpp>

#include <chrono>
#include <future>
#include <mutex>
#include <string>
#include <vector>

#include "host/services/dht/dht_service.h"
#include "host/services/howl/howl_service.h"
#include "host/plugin_host/dht/plugin_dht.h"
#include "host/plugin_host/howl/plugin_howl.h"
#include "host/plugin_host/net/plugin_net.h"
#include "host/plugin_host/pubsub/plugin_pubsub.h"
#include "host/plugin_host/loader/registry.h"
#include "host/services/protocols/identify/identify_service.h"
#include "host/wire/identify/peer_store.h"
#include "host/services/pubsub/pubsub_service.h"
#include "host/services/rr/request_response.h"
#include "host/swarm/swarm.h"
#include "transports/memory/memory_network.h"
#include "transports/memory/memory_transport.h"

namespace prowl {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

dht::DhtConfig fast_dht() {
  dht::DhtConfig config;
  config.query.request_timeout = 2s;
  config.query.query_timeout = 5s;
  return config;
}

/// One host with every service plugins can reach.
struct Node {
  Node(asio::io_context& io, const std::shared_ptr<transport::MemoryNetwork>& network,
       plugins::RegistryOptions options)
      : key(identity::KeyPair::generate()),
        swarm(io.get_executor(), key, swarm::SwarmConfig{}),
        rr(swarm, io.get_executor()),
        identify(swarm, peers, "prowl-plugin-services-test"),
        dht(io.get_executor(), swarm, peers, identify, fast_dht()),
        pubsub(io.get_executor(), swarm),
        howls(pubsub),
        net(io.get_executor(), swarm, rr),
        plugin_dht(io.get_executor(), dht, key),
        plugin_pubsub(io.get_executor(), pubsub),
        plugin_howl(io.get_executor(), howls) {
    swarm.add_transport(std::make_unique<transport::MemoryTransport>(io.get_executor(), network));
    dht.start();
    identify.install();
    registry = std::make_unique<plugins::Registry>(std::move(options));
    // Bound late, as `prowl run` does.
    registry->bind_services({&net, &plugin_dht, &plugin_pubsub, &plugin_howl});
  }
  std::string id() const { return swarm.local_peer().to_string(); }

  identity::KeyPair key;
  swarm::Swarm swarm;
  rr::RequestResponse rr;
  protocols::PeerStore peers;
  protocols::IdentifyService identify;
  dht::DhtService dht;
  pubsub_service::PubsubService pubsub;
  howl::HowlService howls;
  plugin_net::PluginNet net;
  plugin_dht::PluginDht plugin_dht;
  plugin_pubsub::PluginPubsub plugin_pubsub;
  plugin_howl::PluginHowl plugin_howl;
  std::unique_ptr<plugins::Registry> registry;
};

class PluginServicesTest : public ::testing::Test {
 protected:
  PluginServicesTest() : network_(std::make_shared<transport::MemoryNetwork>()) {}

  void SetUp() override {
    a_ = std::make_unique<Node>(io_, network_, options());
    b_ = std::make_unique<Node>(io_, network_, options());
    const auto address = run(a_->swarm.listen(*multiaddr::Multiaddr::parse("/ip4/127.0.0.1/tcp/0")));
    run(b_->swarm.listen(*multiaddr::Multiaddr::parse("/ip4/127.0.0.1/tcp/0")));
    const auto dialed = [&]() -> asio::awaitable<std::string> { co_return (co_await b_->swarm.dial(address)).to_string(); };
    ASSERT_EQ(run(dialed()), a_->id());
    for (auto [node, file] : {std::pair{a_.get(), "prowl-fixture_svc_a.so"}, std::pair{b_.get(), "prowl-fixture_svc_b.so"},
                              std::pair{a_.get(), "prowl-fixture_c_abi.so"},
                              std::pair{b_.get(), "prowl-fixture_pack.so"}}) {
      const auto& record = node->registry->load_file(std::string(PROWL_FIXTURE_DIR "/") + file);
      ASSERT_TRUE(record.loaded) << record.refusal;
    }
    asio::post(io_, [&] {
      for (Node* node : {a_.get(), b_.get()}) {
        for (const plugins::Plugin* p : node->registry->plugins(PROWL_KIND_ROLE)) {
          auto started = p->start();
          EXPECT_TRUE(started.ok()) << p->name() << ": " << started.message;
        }
      }
    });
    // The DHT needs each side in the other's routing table (identify first).
    ASSERT_TRUE(pump([&] { return a_->dht.routing_table().size() > 0 && b_->dht.routing_table().size() > 0; }));
  }

  void TearDown() override {
    for (Node* node : {a_.get(), b_.get()}) {
      node->registry.reset();
      node->dht.stop();
    }
    run(b_->swarm.shutdown());
    run(a_->swarm.shutdown());
    b_.reset();
    a_.reset();
  }

  plugins::RegistryOptions options() {
    plugins::RegistryOptions o;
    o.log = [this](std::string_view plugin, prowl_log_level, std::string_view message) {
      std::lock_guard lock(mutex_);
      lines_.push_back(std::string(plugin) + ": " + std::string(message));
    };
    return o;
  }

  template <class T>
  T run(asio::awaitable<T> task) {
    auto future = asio::co_spawn(io_, std::move(task), asio::use_future);
    EXPECT_TRUE(pump([&] { return future.wait_for(0s) == std::future_status::ready; }));
    return future.get();
  }

  template <typename F>
  bool pump(F done, std::chrono::milliseconds limit = 10s) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done() && std::chrono::steady_clock::now() < deadline) io_.run_one_for(10ms);
    return done();
  }

  /// Sends `command` to the svc plugin of `to` from the other host; returns its answer.
  std::string command(Node& to, const std::string& command) {
    Node& from = &to == a_.get() ? *b_ : *a_;
    std::optional<rr::Reply> reply;
    from.rr.request({to.swarm.local_peer(), std::nullopt}, "svc", {command.begin(), command.end()}, 10000ms,
                    [&](rr::Reply r) { reply = std::move(r); });
    EXPECT_TRUE(pump([&] { return reply.has_value(); }, 15s)) << command;
    if (!reply) return "no reply";
    if (!reply->status.ok()) return "rr failed: " + reply->status.message();
    return {reply->bytes.begin(), reply->bytes.end()};
  }

  bool logged(const std::string& line) {
    std::lock_guard lock(mutex_);
    return std::find(lines_.begin(), lines_.end(), line) != lines_.end();
  }
  bool logged_prefix(const std::string& prefix) {
    std::lock_guard lock(mutex_);
    return std::any_of(lines_.begin(), lines_.end(), [&](const std::string& l) { return l.starts_with(prefix); });
  }
  size_t count_logged(const std::string& line) {
    std::lock_guard lock(mutex_);
    return static_cast<size_t>(std::count(lines_.begin(), lines_.end(), line));
  }
  std::string all_lines() {
    std::lock_guard lock(mutex_);
    std::string text;
    for (const auto& line : lines_) text += line + "\n";
    return text;
  }

  asio::io_context io_;
  std::shared_ptr<transport::MemoryNetwork> network_;
  std::unique_ptr<Node> a_;
  std::unique_ptr<Node> b_;
  std::mutex mutex_;
  std::vector<std::string> lines_;
};

TEST_F(PluginServicesTest, PluginsPutGetProvideAndFindThroughTheDht) {
  EXPECT_EQ(command(*a_, "put self/greeting hello-wolves"), "stored 1");
  EXPECT_EQ(command(*b_, "get /prowl/" + a_->id() + "/greeting"), "value hello-wolves");
  EXPECT_EQ(command(*a_, "provide den-42"), "told 1");
  EXPECT_EQ(command(*b_, "providers den-42"), "providers " + a_->id());
  EXPECT_TRUE(command(*b_, "peer " + a_->id()).starts_with("peer " + a_->id() + " addrs ")) << all_lines();
  EXPECT_EQ(command(*b_, "closest somewhere"), "closest 1");

  // A value nobody stored, a peer nobody knows: failures with their text.
  EXPECT_TRUE(command(*b_, "get /prowl/" + a_->id() + "/missing").starts_with("error 4 "));
  const std::string stranger = identity::PeerId::from_public_key(identity::KeyPair::generate().public_key()).to_string();
  EXPECT_TRUE(command(*b_, "peer " + stranger).starts_with("error 4 "));
  // Refused at once: someone else's /prowl/ key, an over-long value, a bad peer id.
  EXPECT_TRUE(command(*a_, "put /prowl/" + b_->id() + "/x v").starts_with("error 1 dht_put: a /prowl/ key must be"));
  EXPECT_TRUE(command(*a_, "put self/big " + std::string(PROWL_DHT_VALUE_MAX, 'v')).starts_with("error 2 "));
  EXPECT_TRUE(command(*b_, "peer not-a-peer").starts_with("error 1 dht_find_peer"));
}

TEST_F(PluginServicesTest, APluginPublishesAndAnotherHostsPluginReceivesWhatItsValidatorAccepts) {
  ASSERT_TRUE(command(*b_, "sub t").starts_with("sub "));
  ASSERT_EQ(command(*b_, "validate t"), "ok");
  EXPECT_TRUE(command(*b_, "validate t").starts_with("error 1 "));  // one validator per topic
  // Until B's subscription has reached A, A's publications reach nobody.
  int warm = 0;
  ASSERT_TRUE(pump([&] {
    if (logged_prefix("fixture-svc-b: msg t warm-")) return true;
    EXPECT_EQ(command(*a_, "pub t warm-" + std::to_string(++warm)), "ok");
    return false;
  })) << all_lines();

  EXPECT_EQ(command(*a_, "pub t bad-1"), "ok");
  EXPECT_EQ(command(*a_, "pub t throw-2"), "ok");
  EXPECT_EQ(command(*a_, "pub t good-3"), "ok");
  ASSERT_TRUE(pump([&] { return logged("fixture-svc-b: msg t good-3"); })) << all_lines();
  pump([] { return false; }, 300ms);
  EXPECT_FALSE(logged("fixture-svc-b: msg t bad-1")) << all_lines();
  EXPECT_FALSE(logged("fixture-svc-b: msg t throw-2")) << all_lines();
  EXPECT_TRUE(logged("fixture-svc-b: validator of topic 't' threw (message ignored): validator exploded"))
      << all_lines();

  // Unsubscribed: later messages are not delivered.
  const std::string sub = command(*b_, "sub t");
  ASSERT_TRUE(sub.starts_with("sub "));
  EXPECT_EQ(command(*b_, "unsub " + sub.substr(4)), "ok");
  EXPECT_TRUE(command(*b_, "unsub " + sub.substr(4)).starts_with("error 4 "));
  EXPECT_TRUE(command(*a_, "pub " + std::string(PROWL_TOPIC_MAX + 1, 't') + " x").starts_with("error 1 "));

  // Its plugin stopped, the host drops the validator that judged for it.
  EXPECT_EQ(b_->pubsub.validators("t"), 1u);
  b_->registry->stop_agent(*b_->registry->find(PROWL_KIND_ROLE, "fixture-svc-b"));
  EXPECT_EQ(b_->pubsub.validators("t"), 0u);
}

TEST_F(PluginServicesTest, HowlsAreHeardByPatternAndCounted) {
  ASSERT_TRUE(command(*b_, "hear " + std::to_string(PROWL_HOWL_WARNING) + " 0").starts_with("hear "));
  int sent = 0;
  ASSERT_TRUE(pump([&] {
    if (logged_prefix("fixture-svc-b: howl 3 3 700 ")) return true;
    EXPECT_EQ(command(*a_, "howl 3 3 700 wolf-" + std::to_string(++sent)), "ok");
    return false;
  })) << all_lines();
  // Another pattern is not heard.
  EXPECT_EQ(command(*a_, "howl 5 3 10 chatter"), "ok");
  pump([] { return false; }, 300ms);
  EXPECT_FALSE(logged_prefix("fixture-svc-b: howl 5 ")) << all_lines();

  size_t heard = 0;
  for (int i = 1; i <= sent; ++i) heard += count_logged("fixture-svc-b: howl 3 3 700 wolf-" + std::to_string(i));
  EXPECT_EQ(command(*a_, "counts 3"), "counts " + std::to_string(sent) + " 0");
  EXPECT_EQ(command(*b_, "counts 3"), "counts 0 " + std::to_string(heard));
  EXPECT_EQ(command(*a_, "counts 5"), "counts 1 0");
  EXPECT_TRUE(command(*a_, "howl 3 3 1001 loud").starts_with("error 1 "));
  EXPECT_TRUE(command(*a_, "howl 3 0 1 nowhere").starts_with("error 1 "));
  EXPECT_TRUE(command(*a_, "counts 6").starts_with("error 1 "));

  // Its plugin stopped, the host ends the howl hook it had and leaves the topic.
  EXPECT_TRUE(b_->howls.hears(howl::Pattern::kWarning, howl::Range::kGlobal));
  b_->registry->stop_agent(*b_->registry->find(PROWL_KIND_ROLE, "fixture-svc-b"));
  EXPECT_FALSE(b_->howls.hears(howl::Pattern::kWarning, howl::Range::kGlobal));
  EXPECT_FALSE(b_->pubsub.router().subscribed(howl::howl_topic(howl::Range::kGlobal, "", howl::Pattern::kWarning)));
}

TEST_F(PluginServicesTest, StoppingOnePluginOfALibraryEndsOnlyItsOwnRegistrations) {
  // pack-left and pack-right: one library, one class, two contexts.
  int sent = 0;
  ASSERT_TRUE(pump([&] {
    if (logged_prefix("pack-left: heard warm-") && logged_prefix("pack-right: heard warm-")) return true;
    ++sent;
    EXPECT_EQ(command(*a_, "pub pack/pack-left warm-" + std::to_string(sent)), "ok");
    EXPECT_EQ(command(*a_, "pub pack/pack-right warm-" + std::to_string(sent)), "ok");
    return false;
  })) << all_lines();
  b_->registry->stop_agent(*b_->registry->find(PROWL_KIND_ROLE, "pack-left"));
  EXPECT_EQ(command(*a_, "pub pack/pack-left after-stop"), "ok");
  EXPECT_EQ(command(*a_, "pub pack/pack-right after-stop"), "ok");
  ASSERT_TRUE(pump([&] { return logged("pack-right: heard after-stop"); })) << all_lines();
  pump([] { return false; }, 300ms);
  EXPECT_FALSE(logged("pack-left: heard after-stop")) << all_lines();
}

TEST_F(PluginServicesTest, TheCFunctionsRefuseBadCallsAndCallsAfterStop) {
  boost::dll::shared_library library(PROWL_FIXTURE_DIR "/prowl-fixture_c_abi.so");
  auto& probe = library.get<int32_t(int, char*, size_t)>("fixture_c_probe");
  char message[PROWL_ERROR_MAX];
  EXPECT_EQ(probe(0, message, sizeof message), PROWL_ERR_INVALID_INPUT) << message;
  EXPECT_EQ(probe(1, message, sizeof message), PROWL_ERR_LIMIT) << message;
  EXPECT_EQ(probe(2, message, sizeof message), PROWL_ERR_INVALID_INPUT) << message;
  EXPECT_EQ(probe(3, message, sizeof message), PROWL_ERR_LIMIT) << message;
  EXPECT_EQ(probe(4, message, sizeof message), PROWL_ERR_INVALID_INPUT) << message;
  EXPECT_EQ(probe(5, message, sizeof message), PROWL_ERR_INVALID_INPUT) << message;
  EXPECT_EQ(probe(7, message, sizeof message), PROWL_ERR_NOT_FOUND) << message;
  EXPECT_EQ(probe(6, message, sizeof message), PROWL_OK) << message;
  EXPECT_TRUE(pump([&] { return probe(8, nullptr, 0) == 1; }));  // its own message, on the loop
  EXPECT_EQ(probe(9, nullptr, 0), 0);                            // never inside a host call
  EXPECT_EQ(probe(10, nullptr, 0), 1);                           // an unknown name is NULL: degrade

  const plugins::Plugin* c = a_->registry->find(PROWL_KIND_ROLE, "fixture-c-abi");
  ASSERT_NE(c, nullptr);
  a_->registry->stop_agent(*c);
  EXPECT_EQ(probe(6, message, sizeof message), PROWL_ERR_CLOSED);
  EXPECT_EQ(std::string(message), "pubsub_publish: plugin 'fixture-c-abi' has stopped");
  // Its subscription ended with its stop: another plugin's message on its topic is not delivered.
  EXPECT_EQ(command(*a_, "pub c/topic hi"), "ok");
  pump([] { return false; }, 300ms);
  EXPECT_EQ(probe(8, nullptr, 0), 1);
}

}  // namespace
}  // namespace prowl
