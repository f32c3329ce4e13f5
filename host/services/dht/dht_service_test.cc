#include "host/services/dht/dht_service.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "host/services/dht/key_text.h"
#include "host/base/status/status.h"
#include "host/services/dht/testing/local_network.h"
#include "host/wire/kad/signed_value.h"

namespace prowl::dht {
namespace {

using namespace std::chrono_literals;

std::vector<uint8_t> bytes(const std::string& s) { return {s.begin(), s.end()}; }

DhtConfig fast_config() {
  DhtConfig config;
  config.query.request_timeout = 2000ms;
  config.query.query_timeout = 10000ms;
  return config;
}

// Host `joiner` learns host `via`'s address and looks itself up.
void join(LocalNetwork& net, size_t joiner, size_t via) {
  net.dht(joiner).add_addresses(net.swarm(via).local_peer(), {net.address(via)});
  EXPECT_GE(net.run(net.dht(joiner).bootstrap(), 10s), 1u);
}

// A signed /prowl/ record of `key`'s peer named `name`.
std::pair<std::vector<uint8_t>, std::vector<uint8_t>> signed_record(const identity::KeyPair& key,
                                                                    const std::string& name,
                                                                    const std::string& value, uint64_t seq) {
  const auto peer = identity::PeerId::from_public_key(key.public_key());
  auto record_key = kad::SignedValue::record_key(peer, name);
  auto envelope = kad::SignedValue::sign(key, record_key, bytes(value), seq).encode();
  return {record_key, envelope};
}

TEST(DhtServiceTest, ThreeHostsPutGetProvideAndFindPeer) {
  LocalNetwork net;
  std::vector<identity::KeyPair> keys;
  for (int i = 0; i < 3; ++i) {
    keys.push_back(identity::KeyPair::generate());
    net.add_host(keys.back(), fast_config());
  }
  join(net, 1, 0);
  join(net, 2, 0);
  EXPECT_TRUE(net.run_until([&] { return net.dht(0).routing_table().size() == 2; }, 5s));

  auto [key, value] = signed_record(keys[1], "greeting", "hello", 1);
  EXPECT_GE(net.run(net.dht(1).put_value(key, value), 10s), 1u);
  const auto got = net.run(net.dht(2).get_value(key), 10s);
  auto decoded = kad::SignedValue::decode(got);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->value(), bytes("hello"));

  // A newer sequence number replaces the value everywhere it is read.
  auto [key2, newer] = signed_record(keys[1], "greeting", "hello again", 2);
  net.run(net.dht(1).put_value(key2, newer), 10s);
  EXPECT_EQ(net.run(net.dht(0).get_value(key), 10s), newer);

  const auto content = bytes("content-id-1");
  EXPECT_GE(net.run(net.dht(2).provide(content), 10s), 1u);
  const auto providers = net.run(net.dht(1).find_providers(content), 10s);
  ASSERT_EQ(providers.size(), 1u);
  EXPECT_EQ(providers[0].id, net.swarm(2).local_peer());
  EXPECT_FALSE(providers[0].addresses.empty());

  const auto found = net.run(net.dht(1).find_peer(net.swarm(2).local_peer()), 10s);
  EXPECT_EQ(found.id, net.swarm(2).local_peer());
  ASSERT_FALSE(found.addresses.empty());
  EXPECT_EQ(found.addresses[0], net.address(2).without_peer());

  const auto closest = net.run(net.dht(2).closest_peers(bytes("anything")), 10s);
  EXPECT_EQ(closest.size(), 2u);
}

TEST(DhtServiceTest, RefusesInvalidRecordsAndReportsMissingOnes) {
  LocalNetwork net;
  const auto a = identity::KeyPair::generate();
  const auto b = identity::KeyPair::generate();
  net.add_host(a, fast_config());
  net.add_host(b, fast_config());
  join(net, 1, 0);
  // Signed by b but stored under a's name: the validator refuses it.
  const auto key = kad::SignedValue::record_key(identity::PeerId::from_public_key(a.public_key()), "x");
  const auto forged = kad::SignedValue::sign(b, key, bytes("forged"), 1).encode();
  try {
    net.run(net.dht(1).put_value(key, forged), 10s);
    FAIL() << "a forged record was accepted";
  } catch (const StatusError& e) {
    EXPECT_NE(std::string(e.what()).find("invalid record"), std::string::npos) << e.what();
    EXPECT_EQ(e.status().code(), StatusCode::kInvalidInput);
  }
  try {
    net.run(net.dht(1).get_value(key), 10s);
    FAIL() << "a missing record was found";
  } catch (const StatusError& e) {
    EXPECT_NE(std::string(e.what()).find("no value found for /prowl/"), std::string::npos) << e.what();
    EXPECT_EQ(e.status().code(), StatusCode::kNotFound);  // a peer answered without it
  }
  // Keys outside the /pk/ and /prowl/ namespaces are refused too.
  EXPECT_THROW(net.run(net.dht(1).put_value(bytes("/other/k"), bytes("v")), 10s), std::runtime_error);
}

TEST(DhtServiceTest, FailuresCarryTheirCause) {
  // A host that knows no peer: its lookups fail because nobody answered.
  LocalNetwork net;
  net.add_host(identity::KeyPair::generate(), fast_config());
  try {
    net.run(net.dht(0).get_value(bytes("/prowl/x")), 10s);
    FAIL() << "a lone host found a value";
  } catch (const StatusError& e) {
    EXPECT_EQ(e.status().code(), StatusCode::kUnreachable) << e.what();
  }
  try {
    net.run(net.dht(0).closest_peers(bytes("anything")), 10s);
    FAIL() << "a lone host found peers";
  } catch (const StatusError& e) {
    EXPECT_EQ(e.status().code(), StatusCode::kUnreachable) << e.what();
  }
}

TEST(DhtServiceTest, RefusesMessagesAboveItsConfiguredLimit) {
  LocalNetwork net;
  const auto a = identity::KeyPair::generate();
  const auto b = identity::KeyPair::generate();
  DhtConfig small = fast_config();
  small.max_message_bytes = 2048;
  net.add_host(a, small);
  net.add_host(b, fast_config());
  join(net, 1, 0);
  // A 4000-byte value fits the default 64 KiB but not host 0's 2 KiB.
  auto [big_key, big] = signed_record(b, "big", std::string(4000, 'x'), 1);
  EXPECT_THROW(net.run(net.dht(1).put_value(big_key, big), 10s), std::runtime_error);
  auto [key, value] = signed_record(b, "small", "fits", 1);
  EXPECT_EQ(net.run(net.dht(1).put_value(key, value), 10s), 1u);
}

TEST(DhtServiceTest, PublicKeyRecordsRoundTrip) {
  LocalNetwork net;
  const auto a = identity::KeyPair::generate();
  net.add_host(a, fast_config());
  net.add_host(identity::KeyPair::generate(), fast_config());
  join(net, 1, 0);
  const auto text = "/pk/" + identity::PeerId::from_public_key(a.public_key()).to_string();
  const auto key = parse_key(text);
  ASSERT_TRUE(key);
  EXPECT_EQ(key_text(*key), text);
  net.run(net.dht(0).put_value(*key, a.public_key().to_protobuf()), 10s);
  EXPECT_EQ(net.run(net.dht(1).get_value(*key), 10s), a.public_key().to_protobuf());
}

TEST(DhtServiceTest, ClientModePeersQueryButAreNotRouted) {
  LocalNetwork net;
  net.add_host(identity::KeyPair::generate(), fast_config());
  net.add_host(identity::KeyPair::generate(), fast_config());
  DhtConfig client = fast_config();
  client.server = false;
  net.add_host(identity::KeyPair::generate(), client);
  join(net, 1, 0);
  join(net, 2, 0);
  net.run_for(300ms);  // identify finishes
  EXPECT_TRUE(net.dht(0).routing_table().contains(net.swarm(1).local_peer()));
  EXPECT_FALSE(net.dht(0).routing_table().contains(net.swarm(2).local_peer()));
  EXPECT_TRUE(net.dht(2).routing_table().contains(net.swarm(0).local_peer()));
  const auto found = net.run(net.dht(2).find_peer(net.swarm(1).local_peer()), 10s);
  EXPECT_EQ(found.id, net.swarm(1).local_peer());
}

TEST(DhtServiceTest, LimitsQueriesInFlight) {
  LocalNetwork net;
  DhtConfig config = fast_config();
  config.max_queries = 0;
  net.add_host(identity::KeyPair::generate(), config);
  try {
    net.run(net.dht(0).closest_peers(bytes("k")), 5s);
    FAIL() << "the lookup ran past the limit";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("too many DHT lookups in flight (limit 0)"), std::string::npos);
  }
}

TEST(DhtServiceTest, RecordsProvidersAndPeersSurviveARestart) {
  const auto dir = std::filesystem::temp_directory_path() / ("prowl-dht-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  LocalNetwork net;
  const auto a = identity::KeyPair::generate();
  const auto b = identity::KeyPair::generate();
  DhtConfig durable = fast_config();
  durable.data_dir = dir;
  net.add_host(a, durable);                 // 0: the host that restarts
  net.add_host(b, fast_config());           // 1
  join(net, 1, 0);
  auto [key, value] = signed_record(b, "kept", "across restarts", 7);
  net.run(net.dht(1).put_value(key, value), 10s);
  net.run(net.dht(1).provide(bytes("provided-key")), 10s);
  net.run_for(200ms);  // ADD_PROVIDER has no answer: let host 0 read it before it stops

  net.remove_host(0);
  const size_t restarted = net.add_host(a, durable);  // same key and data dir, new address
  // It rejoins on its own from the peers it knew.
  EXPECT_TRUE(net.run_until([&] { return net.dht(restarted).routing_table().contains(net.swarm(1).local_peer()); },
                            10s));
  net.remove_host(1);  // only the restarted host can answer now

  const size_t late = net.add_host(identity::KeyPair::generate(), fast_config());
  join(net, late, restarted);
  EXPECT_EQ(net.run(net.dht(late).get_value(key), 10s), value);
  const auto providers = net.run(net.dht(late).find_providers(bytes("provided-key")), 10s);
  ASSERT_FALSE(providers.empty());
  EXPECT_EQ(providers[0].id, identity::PeerId::from_public_key(b.public_key()));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace prowl::dht
