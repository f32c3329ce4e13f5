// Two real hosts (swarm over loopback TCP + request-response + plugin
// services + registry) in one process: host A loads fixture-net-echo, host B
// loads fixture-net-probe, which talks to A's plugin through both services.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_future.hpp>

#include <chrono>
#include <future>
#include <mutex>
#include <string>
#include <vector>

#include "host/plugin_host/net/plugin_net.h"
#include "host/plugin_host/loader/registry.h"
#include "host/services/rr/request_response.h"
#include "host/swarm/swarm.h"
#include "transports/tcp/tcp_transport.h"

namespace prowl {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

/// One host: swarm, request-response, plugin services, registry.
struct Node {
  Node(asio::io_context& io, plugins::RegistryOptions options)
      : swarm(io.get_executor(), identity::KeyPair::generate(), swarm::SwarmConfig{}),
        rr(swarm, io.get_executor()),
        net(io.get_executor(), swarm, rr) {
    swarm.add_transport(std::make_unique<transport::TcpTransport>(io.get_executor()));
    options.services.net = &net;
    registry = std::make_unique<plugins::Registry>(std::move(options));
    net.on_peer_events(
        [this](prowl_role_event_type type, const std::string& peer) { registry->role_event(type, peer); });
  }
  swarm::Swarm swarm;
  rr::RequestResponse rr;
  plugin_net::PluginNet net;
  std::unique_ptr<plugins::Registry> registry;
};

class PluginNetTest : public ::testing::Test {
 protected:
  plugins::RegistryOptions options(std::string target = {}) {
    plugins::RegistryOptions o;
    o.log = [this](std::string_view plugin, prowl_log_level, std::string_view message) {
      std::lock_guard lock(mutex_);
      lines_.push_back(std::string(plugin) + ": " + std::string(message));
    };
    o.config_lookup = [target](std::string_view key) -> std::optional<std::string> {
      if (key == "plugins.fixture-net-probe.target") return target;
      return std::nullopt;
    };
    return o;
  }

  bool logged(const std::string& line) {
    std::lock_guard lock(mutex_);
    return std::find(lines_.begin(), lines_.end(), line) != lines_.end();
  }

  std::string all_lines() {
    std::lock_guard lock(mutex_);
    std::string text;
    for (const auto& line : lines_) text += line + "\n";
    return text;
  }

  template <typename F>
  bool pump(F done) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!done() && std::chrono::steady_clock::now() < deadline) io_.run_one_for(10ms);
    return done();
  }

  asio::io_context io_;
  std::mutex mutex_;
  std::vector<std::string> lines_;
};

TEST_F(PluginNetTest, APluginTalksToAnotherHostsPluginOverStreamsAndRequests) {
  Node a(io_, options());
  auto listen = asio::co_spawn(io_, a.swarm.listen(*multiaddr::Multiaddr::parse("/ip4/127.0.0.1/tcp/0")),
                               asio::use_future);
  ASSERT_TRUE(pump([&] { return listen.wait_for(0s) == std::future_status::ready; }));
  const std::string address = listen.get().to_string();
  Node b(io_, options(address));

  const auto& echo = a.registry->load_file(PROWL_FIXTURE_DIR "/prowl-fixture_net_echo.so");
  ASSERT_TRUE(echo.loaded) << echo.refusal;
  const auto& probe = b.registry->load_file(PROWL_FIXTURE_DIR "/prowl-fixture_net_probe.so");
  ASSERT_TRUE(probe.loaded) << probe.refusal;

  asio::post(io_, [&] {
    auto started = a.registry->find(PROWL_KIND_ROLE, "fixture-net-echo")->start();
    EXPECT_TRUE(started.ok()) << started.message;
    started = b.registry->find(PROWL_KIND_ROLE, "fixture-net-probe")->start();
    EXPECT_TRUE(started.ok()) << started.message;
  });

  const std::string finished = "fixture-net-probe: probe: echoed 20/20 failures missing=" +
                               std::to_string(PROWL_ERR_UNSUPPORTED) + "+text boom=" +
                               std::to_string(PROWL_ERR_REMOTE) + "+text";
  const std::string streamed = "fixture-net-probe: probe: stream closed status 0 echo 'hello stream'";
  EXPECT_TRUE(pump([&] { return logged(finished) && logged(streamed); })) << all_lines();
  EXPECT_TRUE(logged("fixture-net-echo: echo serving as " + a.swarm.local_peer().to_string())) << all_lines();
  EXPECT_TRUE(logged("fixture-net-probe: probe: connected to 1 peer(s), target listed yes")) << all_lines();
  // The started role heard the probe's host connect (a peer event).
  EXPECT_TRUE(logged("fixture-net-echo: peer connected " + b.swarm.local_peer().to_string())) << all_lines();

  // Unloading the echo plugin ends its services: the name is no longer served.
  a.net.on_peer_events({});
  a.registry.reset();
  std::optional<rr::Reply> after;
  b.rr.request({a.swarm.local_peer(), std::nullopt}, "echo", {1, 2, 3}, 2000ms, [&](rr::Reply r) { after = r; });
  ASSERT_TRUE(pump([&] { return after.has_value(); }));
  EXPECT_EQ(after->status.code(), StatusCode::kUnsupported) << after->status.message();

  // A goes away: B's started role hears its last connection close.
  auto down_a = asio::co_spawn(io_, a.swarm.shutdown(), asio::use_future);
  const std::string gone = "fixture-net-probe: probe: peer disconnected " + a.swarm.local_peer().to_string();
  EXPECT_TRUE(pump([&] { return logged(gone); })) << all_lines();
  b.net.on_peer_events({});
  b.registry.reset();
  auto down_b = asio::co_spawn(io_, b.swarm.shutdown(), asio::use_future);
  pump([&] { return down_a.wait_for(0s) == std::future_status::ready && down_b.wait_for(0s) == std::future_status::ready; });
}

}  // namespace
}  // namespace prowl
