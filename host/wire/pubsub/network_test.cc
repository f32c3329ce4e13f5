// Many routers wired together in memory, deterministically: mesh formation,
// exactly-once delivery, gossip repair.
#include <gtest/gtest.h>

#include <deque>
#include <memory>
#include <random>

#include "host/wire/pubsub/router.h"

namespace prowl::pubsub {
namespace {

using std::chrono::seconds;

class Network {
 public:
  Network(size_t n, const RouterConfig& base) : delivered_(n) {
    for (size_t i = 0; i < n; ++i) {
      std::array<uint8_t, 32> seed{};
      seed[0] = static_cast<uint8_t>(i);
      seed[1] = static_cast<uint8_t>(i >> 8);
      seed[2] = 0x77;
      RouterConfig config = base;
      config.clock = [this] { return now_; };
      config.seed = i + 1;
      nodes_.push_back(std::make_unique<Router>(identity::KeyPair::from_seed(seed), config));
      index_.emplace(nodes_.back()->local_peer(), i);
    }
  }

  size_t size() const { return nodes_.size(); }
  Router& node(size_t i) { return *nodes_[i]; }

  // a dials b.
  void connect(size_t a, size_t b) {
    if (a == b || links_.count({a, b}) || links_.count({b, a})) return;
    links_.insert({a, b});
    nodes_[a]->on_peer_connected(nodes_[b]->local_peer(), true, Protocol::kMeshsub12);
    nodes_[b]->on_peer_connected(nodes_[a]->local_peer(), false, Protocol::kMeshsub12);
  }

  // A ring (so the graph is connected) plus `extra` random dials per node.
  void wire_randomly(size_t extra, uint64_t seed) {
    std::mt19937_64 rng(seed);
    for (size_t i = 0; i < size(); ++i) connect(i, (i + 1) % size());
    for (size_t i = 0; i < size(); ++i)
      for (size_t k = 0; k < extra; ++k) connect(i, rng() % size());
    pump();
  }

  // Delivers every queued RPC, and those they cause, until the network is quiet.
  void pump() {
    std::deque<std::pair<size_t, SendRpc>> queue;
    auto collect = [&](size_t i) {
      for (auto& action : nodes_[i]->take_actions()) {
        if (auto* send = std::get_if<SendRpc>(&action)) {
          const size_t to = index_.at(send->peer);
          if (!cut_.count(to)) queue.emplace_back(i, std::move(*send));
        } else if (auto* deliver = std::get_if<DeliverMessage>(&action)) {
          ++delivered_[i][deliver->id];
        }
      }
    };
    for (size_t i = 0; i < size(); ++i) collect(i);
    while (!queue.empty()) {
      auto [from, send] = std::move(queue.front());
      queue.pop_front();
      const size_t to = index_.at(send.peer);
      nodes_[to]->on_rpc(nodes_[from]->local_peer(), send.bytes);
      collect(to);
    }
  }

  void heartbeat_all() {
    now_ += seconds(1);
    for (auto& node : nodes_) node->heartbeat();
    pump();
  }

  MessageId publish(size_t i, const std::string& topic, const std::string& data) {
    auto id = nodes_[i]->publish(topic, {reinterpret_cast<const uint8_t*>(data.data()),
                                         data.size()});
    pump();
    return *id;
  }

  // Messages to node i are lost while it is cut off.
  void cut(size_t i) { cut_.insert(i); }
  void restore(size_t i) { cut_.erase(i); }

  int deliveries(size_t node, const MessageId& id) const {
    auto it = delivered_[node].find(id);
    return it == delivered_[node].end() ? 0 : it->second;
  }

 private:
  Clock::time_point now_ = Clock::time_point{} + std::chrono::hours(1);
  std::vector<std::unique_ptr<Router>> nodes_;
  std::map<identity::PeerId, size_t> index_;
  std::set<std::pair<size_t, size_t>> links_;
  std::set<size_t> cut_;
  std::vector<std::map<MessageId, int>> delivered_;
};

TEST(GossipsubNetwork, HundredNodesFormBoundedMeshesAndDeliverExactlyOnce) {
  Network net(100, RouterConfig{});
  net.wire_randomly(8, 1);
  for (size_t i = 0; i < net.size(); ++i) net.node(i).subscribe("howl/territory");
  net.pump();
  for (int h = 0; h < 5; ++h) net.heartbeat_all();

  const RouterConfig defaults;
  for (size_t i = 0; i < net.size(); ++i) {
    const size_t degree = net.node(i).mesh_peers("howl/territory").size();
    EXPECT_GE(degree, defaults.d_lo) << "node " << i;
    EXPECT_LE(degree, defaults.d_hi) << "node " << i;
  }

  std::vector<MessageId> ids;
  for (int m = 0; m < 20; ++m) {
    ids.push_back(net.publish(static_cast<size_t>(m * 37 % 100), "howl/territory",
                              "howl " + std::to_string(m)));
    if (m % 5 == 4) net.heartbeat_all();
  }
  for (int h = 0; h < 3; ++h) net.heartbeat_all();
  for (size_t i = 0; i < net.size(); ++i)
    for (const MessageId& id : ids) EXPECT_EQ(net.deliveries(i, id), 1) << "node " << i;
}

TEST(GossipsubNetwork, MeshOnlyForwardingReachesEveryoneWithoutFloodPublish) {
  RouterConfig config;
  config.flood_publish = false;
  Network net(40, config);
  net.wire_randomly(6, 2);
  for (size_t i = 0; i < net.size(); ++i) net.node(i).subscribe("t");
  net.pump();
  for (int h = 0; h < 3; ++h) net.heartbeat_all();
  const MessageId id = net.publish(0, "t", "mesh only");
  for (size_t i = 0; i < net.size(); ++i) EXPECT_EQ(net.deliveries(i, id), 1) << "node " << i;
}

TEST(GossipsubNetwork, GossipRepairsAMessageLostOnTheMesh) {
  RouterConfig config;
  config.flood_publish = false;
  Network net(30, config);
  net.wire_randomly(10, 3);
  for (size_t i = 0; i < net.size(); ++i) net.node(i).subscribe("t");
  net.pump();
  for (int h = 0; h < 3; ++h) net.heartbeat_all();

  const size_t victim = 17;
  ASSERT_GT(net.node(victim).topic_peers("t").size(),
            net.node(victim).mesh_peers("t").size());  // some peers only gossip to it
  net.cut(victim);
  const MessageId id = net.publish(3, "t", "lost on the way");
  net.restore(victim);
  EXPECT_EQ(net.deliveries(victim, id), 0);
  const uint64_t asked_before = net.node(victim).stats().iwant_ids_sent;
  net.heartbeat_all();  // IHAVE from non-mesh peers, IWANT, the message
  EXPECT_EQ(net.deliveries(victim, id), 1);
  EXPECT_GT(net.node(victim).stats().iwant_ids_sent, asked_before);
  for (int h = 0; h < 3; ++h) net.heartbeat_all();
  EXPECT_EQ(net.deliveries(victim, id), 1);
}

}  // namespace
}  // namespace prowl::pubsub
