// Drives the DHT's state machines over a simulated in-memory network: nodes
// join through one bootstrap node with a self-lookup, then look up peers,
// store and find values and providers. Every message goes through the wire
// codec. This is the glue the Swarm wiring provides for real.
#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <map>
#include <memory>
#include <random>

#include "host/wire/kad/handler.h"
#include "host/wire/kad/query.h"
#include "host/wire/kad/signed_value.h"
#include "host/wire/kad/testing.h"
#include "host/wire/kad/validator_set.h"

namespace prowl::kad {
namespace {

using testing::bytes;
using testing::test_address;
using testing::test_key;

struct Node {
  Node(uint32_t n, const Validator& validator)
      : key(test_key(n)), id(identity::PeerId::from_public_key(key.public_key())),
        kad_key(Key::from_peer(id)), address(test_address(n)), table(id), book(nullptr), records(nullptr),
        providers(nullptr),
        handler(table, book, records, providers, validator, [this] { return std::vector<multiaddr::Multiaddr>{address}; }) {}

  PeerInfo info() const { return PeerInfo{id, {address}, ConnectionType::kNotConnected}; }

  identity::KeyPair key;
  identity::PeerId id;
  Key kad_key;
  multiaddr::Multiaddr address;
  bool alive = true;
  RoutingTable table;
  AddressBook book;
  RecordStore records;
  ProviderStore providers;
  Handler handler;
};

class Network {
 public:
  explicit Network(size_t size) : validators_(ValidatorSet::with_defaults()) {
    for (uint32_t n = 0; n < size; ++n) {
      nodes_.push_back(std::make_unique<Node>(n + 1, validators_));
      by_id_.emplace(nodes_.back()->id, nodes_.back().get());
    }
    // Each joins via node 0 with a self-lookup; once all are in, each
    // refreshes its farthest bucket (half the key space) with a lookup of a
    // random key there, as a node does for every bucket periodically.
    for (size_t i = 1; i < nodes_.size(); ++i) {
      observe(*nodes_[i], *nodes_[0]);
      run(*nodes_[i], Query::find_closest_peers(nodes_[i]->id, nodes_[i]->id.bytes()), false);
    }
    for (auto& node : nodes_) {
      run(*node, Query::find_closest_peers(node->id, random_key_sharing_prefix(node->kad_key, 0)), false);
    }
  }

  Node& node(size_t i) { return *nodes_[i]; }
  size_t size() const { return nodes_.size(); }

  // The k alive nodes other than `except` closest to `key`, by brute force.
  std::vector<identity::PeerId> truly_closest(const std::vector<uint8_t>& key,
                                              const identity::PeerId& except) const {
    const Key target = Key::from_bytes(key);
    std::vector<std::pair<Distance, const Node*>> all;
    for (const auto& n : nodes_) {
      if (n->alive && n->id != except) all.emplace_back(n->kad_key.distance(target), n.get());
    }
    const size_t count = std::min(all.size(), kBucketSize);
    std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(count), all.end());
    std::vector<identity::PeerId> ids;
    for (size_t i = 0; i < count; ++i) ids.push_back(all[i].second->id);
    return ids;
  }

  // Runs `query` from `origin` to the end, seeded from origin's routing
  // table; each message goes through the wire codec when `codec` is set.
  QueryResult run(Node& origin, Query query, bool codec = true) {
    std::vector<PeerInfo> seeds;
    for (const auto& entry : origin.table.closest(Key::from_bytes(query.key()), kBucketSize)) {
      seeds.push_back(PeerInfo{entry.peer, origin.book.addresses(entry.peer), ConnectionType::kNotConnected});
    }
    query.add_seeds(seeds);
    std::deque<QueryRequest> wire;
    while (true) {
      for (auto& request : query.poll(now_)) wire.push_back(std::move(request));
      if (wire.empty()) {
        if (query.finished()) break;
        now_ = *query.next_deadline();  // only timers left
        continue;
      }
      QueryRequest request = std::move(wire.front());
      wire.pop_front();
      now_ += std::chrono::milliseconds(1);
      Node& target = *by_id_.at(request.peer.id);
      if (!target.alive) {  // connection refused
        origin.table.remove(target.id);
        if (request.expects_response) query.on_failure(request.id, now_);
        continue;
      }
      observe(target, origin);
      auto handled = target.handler.handle(origin.id, codec ? through_wire(request.message) : request.message, now_);
      EXPECT_TRUE(handled.error.empty()) << handled.error;
      if (!request.expects_response) continue;
      if (!handled.response) {
        query.on_failure(request.id, now_);
        continue;
      }
      observe(origin, target);
      query.on_response(request.id, codec ? through_wire(*handled.response) : *handled.response, now_);
      ++messages_;
    }
    return query.result();
  }

  size_t messages() const { return messages_; }

 private:
  // `message` as the remote decodes it.
  static Message through_wire(const Message& message) {
    auto decoded = decode_message(encode_message(message));
    EXPECT_TRUE(decoded && decoded->skipped.empty());
    return decoded ? decoded->message : Message{};
  }

  // `at` saw `peer` (a server-mode node): update its table, pinging as asked.
  void observe(Node& at, const Node& peer) {
    const std::vector<multiaddr::Multiaddr> addresses = {peer.address};
    at.book.add(peer.id, addresses, now_);
    const auto result = at.table.observe(peer.id, PeerMode::kServer, now_);
    if (result.ping) at.table.on_ping_result(*result.ping, by_id_.at(*result.ping)->alive, now_);
  }

  ValidatorSet validators_;
  std::vector<std::unique_ptr<Node>> nodes_;
  std::map<identity::PeerId, Node*> by_id_;
  Time now_ = Time(std::chrono::hours(480000));
  size_t messages_ = 0;
};

TEST(KadSimulation, LookupsConvergeInFewHopsAmongAThousandNodes) {
  Network network(1000);
  std::mt19937 random(7);
  std::vector<size_t> hops;
  size_t found = 0, overlap = 0, requests = 0;
  constexpr size_t kLookups = 100;
  for (size_t i = 0; i < kLookups; ++i) {
    Node& origin = network.node(random() % network.size());
    const Node& target = network.node(random() % network.size());
    if (&origin == &target) continue;
    const auto key = target.id.bytes();
    const auto result = network.run(origin, Query::find_closest_peers(origin.id, key));
    ASSERT_EQ(result.status, QueryResult::Status::kFinished);
    found += !result.closest.empty() && result.closest.front().id == target.id;
    const auto truth = network.truly_closest(key, origin.id);
    for (const auto& peer : result.closest) overlap += std::count(truth.begin(), truth.end(), peer.id);
    hops.push_back(result.hops);
    requests += result.requests;
  }
  std::sort(hops.begin(), hops.end());
  const size_t median = hops[hops.size() / 2];
  std::printf("N=1000: found %zu/%zu, median hops %zu (log2 N = 10), max hops %zu, "
              "mean requests %.1f, mean overlap with the true 20 closest %.1f\n",
              found, hops.size(), median, hops.back(), double(requests) / hops.size(),
              double(overlap) / hops.size());
  EXPECT_EQ(found, hops.size());
  EXPECT_LE(median, 4u);
  EXPECT_GE(double(overlap) / hops.size(), 18.0);
}

TEST(KadSimulation, ValuesAndProvidersAreFoundDespiteDeadNodes) {
  Network network(200);
  for (size_t i = 10; i < network.size(); i += 10) network.node(i).alive = false;  // 10% die

  // Node 1 publishes a signed value on the k closest nodes; node 2 finds it.
  Node& publisher = network.node(1);
  const auto key = SignedValue::record_key(publisher.id, "status");
  const Record record{key, SignedValue::sign(publisher.key, key, bytes("hunting"), 1).encode(), ""};
  const auto put = network.run(publisher, Query::put_value(publisher.id, record));
  EXPECT_EQ(put.status, QueryResult::Status::kFinished);
  EXPECT_GE(put.stored, kBucketSize - 2);

  const ValidatorSet validators = ValidatorSet::with_defaults();
  QueryConfig quorum;
  quorum.quorum = 3;
  const auto get = network.run(network.node(2), Query::get_value(network.node(2).id, key, validators, quorum));
  ASSERT_TRUE(get.best_value);
  EXPECT_EQ(*get.best_value, record.value);
  EXPECT_EQ(get.records.size(), 3u);

  // Node 3 provides a key; node 4 finds it.
  Node& provider = network.node(3);
  const auto cid = bytes("some content id");
  const auto add = network.run(provider, Query::add_provider(provider.id, cid, provider.info()));
  EXPECT_GE(add.stored, kBucketSize - 2);
  QueryConfig one;
  one.max_providers = 1;
  const auto providers = network.run(network.node(4), Query::get_providers(network.node(4).id, cid, one));
  ASSERT_EQ(providers.providers.size(), 1u);
  EXPECT_EQ(providers.providers[0], provider.info());

  // Lookups of live peers still succeed; dead ones are never returned.
  for (size_t i = 11; i < network.size(); i += 37) {
    const Node& target = network.node(i);
    const auto result = network.run(network.node(5), Query::find_closest_peers(network.node(5).id, target.id.bytes()));
    ASSERT_FALSE(result.closest.empty());
    if (target.alive) {
      EXPECT_EQ(result.closest.front().id, target.id);
    } else {
      EXPECT_TRUE(std::none_of(result.closest.begin(), result.closest.end(),
                               [&](const PeerInfo& p) { return p.id == target.id; }));
    }
  }
}

}  // namespace
}  // namespace prowl::kad
