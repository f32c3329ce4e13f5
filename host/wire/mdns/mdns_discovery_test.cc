#include "host/wire/mdns/mdns_discovery.h"

#include <gtest/gtest.h>

#include <array>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "host/base/identity/key_pair.h"
#include "host/wire/mdns/peer_name.h"

namespace prowl::mdns {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Clock = MdnsDiscovery::Clock;

identity::PeerId peer(uint8_t n) {
  std::array<uint8_t, 32> seed{};
  seed[0] = n;
  return identity::PeerId::from_public_key(identity::KeyPair::from_seed(seed).public_key());
}

multiaddr::Multiaddr addr(const std::string& text) { return multiaddr::Multiaddr::parse(text).value(); }

const Clock::time_point t0{};

struct Node {
  explicit Node(uint8_t n, std::string name, MdnsConfig config = {})
      : id(peer(n)), discovery(id, std::move(name), config, t0) {}
  identity::PeerId id;
  MdnsDiscovery discovery;
};

std::vector<uint8_t> query_bytes(bool unicast = false, uint16_t id = 0) {
  DnsMessage q;
  q.id = id;
  q.questions.push_back({kServiceName, kTypePtr, kClassIn, unicast});
  return encode_dns_message(q).value();
}

// The multicast response `node` sends to a plain query at `now`.
std::vector<uint8_t> response_of(Node& node, Clock::time_point now = t0) {
  auto out = node.discovery.handle_packet(query_bytes(), kMdnsPort, now);
  EXPECT_TRUE(out.reply);
  return out.reply ? out.reply->bytes : std::vector<uint8_t>{};
}

TEST(MdnsDiscovery, QueriesAtStartThenBackOffToTheInterval) {
  MdnsConfig config;
  config.query_interval = seconds(10);
  config.initial_queries = 3;
  Node a(1, "alpha", config);
  auto q = a.discovery.poll_query(t0);
  ASSERT_TRUE(q);
  auto decoded = decode_dns_message(*q).value();
  EXPECT_FALSE(decoded.response);
  ASSERT_EQ(decoded.questions.size(), 1u);
  EXPECT_EQ(decoded.questions[0], (DnsQuestion{kServiceName, kTypePtr, kClassIn, false}));
  EXPECT_FALSE(a.discovery.poll_query(t0 + milliseconds(999)));
  EXPECT_TRUE(a.discovery.poll_query(t0 + seconds(1)));
  EXPECT_EQ(a.discovery.next_query_time(), t0 + seconds(3));
  EXPECT_TRUE(a.discovery.poll_query(t0 + seconds(3)));
  EXPECT_EQ(a.discovery.next_query_time(), t0 + seconds(13));
  EXPECT_FALSE(a.discovery.poll_query(t0 + seconds(12)));
  EXPECT_TRUE(a.discovery.poll_query(t0 + seconds(13)));
  EXPECT_EQ(a.discovery.next_query_time(), t0 + seconds(23));
}

TEST(MdnsDiscovery, AnswersWithPtrAnswerAndTxtAdditionalAsTheSpecShows) {
  Node a(1, "alpha");
  a.discovery.set_listen_addresses({addr("/ip4/10.0.0.1/tcp/4001"), addr("/ip6/fe80::1/tcp/4001")});
  auto out = a.discovery.handle_packet(query_bytes(), kMdnsPort, t0);
  ASSERT_TRUE(out.reply);
  EXPECT_FALSE(out.reply->to_sender);
  auto response = decode_dns_message(out.reply->bytes).value();
  EXPECT_TRUE(response.response);
  EXPECT_TRUE(response.authoritative);
  ASSERT_EQ(response.answers.size(), 1u);
  EXPECT_EQ(response.answers[0], (DnsRecord{kServiceName, kTypePtr, kClassIn, false, 120,
                                            "alpha._p2p._udp.local", {}}));
  ASSERT_EQ(response.additionals.size(), 1u);
  const std::string suffix = "/p2p/" + a.id.to_string();
  EXPECT_EQ(response.additionals[0],
            (DnsRecord{"alpha._p2p._udp.local", kTypeTxt, kClassIn, true, 120, "",
                       {"dnsaddr=/ip4/10.0.0.1/tcp/4001" + suffix,
                        "dnsaddr=/ip6/fe80::1/tcp/4001" + suffix}}));
}

TEST(MdnsDiscovery, StaysSilentWithoutAddressesOrForOtherServices) {
  Node a(1, "alpha");
  EXPECT_FALSE(a.discovery.handle_packet(query_bytes(), kMdnsPort, t0).reply);
  a.discovery.set_listen_addresses({addr("/ip4/10.0.0.1/tcp/4001")});
  DnsMessage other;
  other.questions.push_back({"_http._tcp.local", kTypePtr, kClassIn, false});
  EXPECT_FALSE(a.discovery.handle_packet(encode_dns_message(other).value(), kMdnsPort, t0).reply);
}

TEST(MdnsDiscovery, DiscoversAPeerOnceAndAgainWhenItsAddressesChangeOrExpire) {
  Node a(1, "alpha"), b(2, "bravo");
  a.discovery.set_listen_addresses({addr("/ip4/10.0.0.1/tcp/4001")});
  auto found = b.discovery.handle_packet(response_of(a), kMdnsPort, t0).discovered;
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].peer, a.id);
  EXPECT_EQ(found[0].addresses, std::vector{addr("/ip4/10.0.0.1/tcp/4001")});
  EXPECT_TRUE(b.discovery.handle_packet(response_of(a, t0 + seconds(2)), kMdnsPort, t0 + seconds(2))
                  .discovered.empty());
  a.discovery.set_listen_addresses({addr("/ip4/10.0.0.1/tcp/4002")});
  found = b.discovery.handle_packet(response_of(a, t0 + seconds(4)), kMdnsPort, t0 + seconds(4))
              .discovered;
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].addresses, std::vector{addr("/ip4/10.0.0.1/tcp/4002")});
  const auto later = t0 + seconds(4 + 120);
  EXPECT_EQ(b.discovery.handle_packet(response_of(a, later), kMdnsPort, later).discovered.size(),
            1u);
}

TEST(MdnsDiscovery, IgnoresItsOwnResponseAndResponsesFromOtherPorts) {
  Node a(1, "alpha"), b(2, "bravo");
  a.discovery.set_listen_addresses({addr("/ip4/10.0.0.1/tcp/4001")});
  EXPECT_TRUE(a.discovery.handle_packet(response_of(a), kMdnsPort, t0).discovered.empty());
  // Same peer id under another instance name (e.g. a second socket of ours).
  Node a2(1, "alpha2");
  a2.discovery.set_listen_addresses({addr("/ip4/10.0.0.1/tcp/4001")});
  EXPECT_TRUE(a.discovery.handle_packet(response_of(a2), kMdnsPort, t0).discovered.empty());
  std::string error;
  EXPECT_TRUE(b.discovery.handle_packet(response_of(a, t0 + seconds(1)), 40000, t0, &error)
                  .discovered.empty());
  EXPECT_NE(error.find("port 40000"), std::string::npos) << error;
}

TEST(MdnsDiscovery, ReadsJsStyleResponsesWithTxtRecordsInTheAnswers) {
  // @libp2p/mdns answers with the PTR and one TXT record per address, all in
  // the answer section, class IN without cache-flush.
  const auto js = peer(7);
  DnsMessage r;
  r.response = true;
  r.authoritative = true;
  const std::string instance = "k3n0xwz9f8d7c6b5a4q3w2e1r0t9y8u7i6o5p4a3s2d1f0g9h8j7k6l5z4x3c2v";
  r.answers.push_back({kServiceName, kTypePtr, kClassIn, false, 120, instance + "." + kServiceName, {}});
  for (const char* a : {"/ip4/192.168.1.5/tcp/4001", "/ip4/192.168.1.5/tcp/4002/ws"}) {
    r.answers.push_back({instance + "." + kServiceName, kTypeTxt, kClassIn, false, 120, "",
                         {std::string("dnsaddr=") + a + "/p2p/" + js.to_string()}});
  }
  Node b(2, "bravo");
  auto found = b.discovery.handle_packet(encode_dns_message(r).value(), kMdnsPort, t0).discovered;
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].peer, js);
  EXPECT_EQ(found[0].addresses, (std::vector{addr("/ip4/192.168.1.5/tcp/4001"),
                                             addr("/ip4/192.168.1.5/tcp/4002/ws")}));
}

TEST(MdnsDiscovery, SkipsForeignTextsMismatchedPeersAndBoundsAddresses) {
  MdnsConfig config;
  config.max_addresses_per_peer = 2;
  Node b(2, "bravo", config);
  const auto x = peer(7), y = peer(8);
  DnsMessage r;
  r.response = true;
  r.answers.push_back({kServiceName, kTypePtr, kClassIn, false, 120, "x._p2p._udp.local", {}});
  r.additionals.push_back({"x._p2p._udp.local", kTypeTxt, kClassIn, true, 120, "",
                           {"txtvers=1", "dnsaddr=/not/a/multiaddr",
                            "dnsaddr=/ip4/10.0.0.9/tcp/1",  // no /p2p
                            "dnsaddr=/ip4/10.0.0.7/tcp/1/p2p/" + x.to_string(),
                            "dnsaddr=/ip4/10.0.0.8/tcp/1/p2p/" + y.to_string(),
                            "dnsaddr=/ip4/10.0.0.7/tcp/1/p2p/" + x.to_string(),
                            "dnsaddr=/ip4/10.0.0.7/tcp/2/p2p/" + x.to_string(),
                            "dnsaddr=/ip4/10.0.0.7/tcp/3/p2p/" + x.to_string()}});
  // A TXT of another instance does not leak into x's addresses.
  r.additionals.push_back({"z._p2p._udp.local", kTypeTxt, kClassIn, true, 120, "",
                           {"dnsaddr=/ip4/10.0.0.1/tcp/1/p2p/" + x.to_string()}});
  auto found = b.discovery.handle_packet(encode_dns_message(r).value(), kMdnsPort, t0).discovered;
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].peer, x);
  EXPECT_EQ(found[0].addresses,
            (std::vector{addr("/ip4/10.0.0.7/tcp/1"), addr("/ip4/10.0.0.7/tcp/2")}));
}

TEST(MdnsDiscovery, AnnouncesOnlyAddressesThatFitATxtString) {
  MdnsConfig config;
  config.max_announced_addresses = 2;
  Node a(1, "alpha", config);
  const std::string long_dns = "/dns4/" + std::string(200, 'h') + ".example/tcp/1";
  a.discovery.set_listen_addresses({addr(long_dns), addr("/ip4/10.0.0.1/tcp/1"),
                                    addr("/ip4/10.0.0.1/tcp/1"), addr("/ip4/10.0.0.1/tcp/2"),
                                    addr("/ip4/10.0.0.1/tcp/3")});
  const std::string suffix = "/p2p/" + a.id.to_string();
  EXPECT_EQ(a.discovery.announced_texts(),
            (std::vector<std::string>{"dnsaddr=/ip4/10.0.0.1/tcp/1" + suffix,
                                      "dnsaddr=/ip4/10.0.0.1/tcp/2" + suffix}));
}

TEST(MdnsDiscovery, AnswersLegacyAndUnicastQueriesToTheSender) {
  Node a(1, "alpha");
  a.discovery.set_listen_addresses({addr("/ip4/10.0.0.1/tcp/4001")});
  auto legacy = a.discovery.handle_packet(query_bytes(false, 0x1234), 40000, t0);
  ASSERT_TRUE(legacy.reply);
  EXPECT_TRUE(legacy.reply->to_sender);
  auto r = decode_dns_message(legacy.reply->bytes).value();
  EXPECT_EQ(r.id, 0x1234);
  ASSERT_EQ(r.questions.size(), 1u);
  EXPECT_EQ(r.questions[0].name, kServiceName);
  EXPECT_EQ(r.answers.at(0).ttl, 10u);
  EXPECT_FALSE(r.additionals.at(0).cache_flush);
  auto qu = a.discovery.handle_packet(query_bytes(true), kMdnsPort, t0);
  ASSERT_TRUE(qu.reply);
  EXPECT_TRUE(qu.reply->to_sender);
}

TEST(MdnsDiscovery, MulticastsAtMostOneResponsePerSecond) {
  Node a(1, "alpha");
  a.discovery.set_listen_addresses({addr("/ip4/10.0.0.1/tcp/4001")});
  EXPECT_TRUE(a.discovery.handle_packet(query_bytes(), kMdnsPort, t0).reply);
  EXPECT_FALSE(a.discovery.handle_packet(query_bytes(), kMdnsPort, t0 + milliseconds(500)).reply);
  EXPECT_TRUE(a.discovery.handle_packet(query_bytes(), kMdnsPort, t0 + seconds(1)).reply);
}

TEST(MdnsDiscovery, KnownAnswerSuppressesOurResponse) {
  Node a(1, "alpha");
  a.discovery.set_listen_addresses({addr("/ip4/10.0.0.1/tcp/4001")});
  DnsMessage q;
  q.questions.push_back({kServiceName, kTypePtr, kClassIn, false});
  q.answers.push_back({kServiceName, kTypePtr, kClassIn, false, 100, "alpha._p2p._udp.local", {}});
  EXPECT_FALSE(a.discovery.handle_packet(encode_dns_message(q).value(), kMdnsPort, t0).reply);
  q.answers[0].ttl = 59;  // below half our TTL: answer anyway
  EXPECT_TRUE(a.discovery.handle_packet(encode_dns_message(q).value(), kMdnsPort, t0).reply);
}

TEST(MdnsDiscovery, GoodbyeForgetsThePeerSoItIsReportedAgain) {
  Node a(1, "alpha"), b(2, "bravo");
  a.discovery.set_listen_addresses({addr("/ip4/10.0.0.1/tcp/4001")});
  ASSERT_EQ(b.discovery.handle_packet(response_of(a), kMdnsPort, t0).discovered.size(), 1u);
  auto goodbye = decode_dns_message(response_of(a, t0 + seconds(1))).value();
  goodbye.answers[0].ttl = 0;
  EXPECT_TRUE(
      b.discovery.handle_packet(encode_dns_message(goodbye).value(), kMdnsPort, t0).discovered.empty());
  EXPECT_EQ(b.discovery.known_peer_count(), 0u);
  EXPECT_EQ(b.discovery.handle_packet(response_of(a, t0 + seconds(2)), kMdnsPort, t0)
                .discovered.size(),
            1u);
}

TEST(MdnsDiscovery, RemembersAtMostMaxPeers) {
  MdnsConfig config;
  config.max_peers = 3;
  Node b(2, "bravo", config);
  for (uint8_t n = 10; n < 20; ++n) {
    Node p(n, "p" + std::to_string(n));
    p.discovery.set_listen_addresses({addr("/ip4/10.0.0." + std::to_string(n) + "/tcp/1")});
    const auto now = t0 + seconds(n);
    EXPECT_EQ(b.discovery.handle_packet(response_of(p, now), kMdnsPort, now).discovered.size(), 1u);
    EXPECT_LE(b.discovery.known_peer_count(), 3u);
  }
}

TEST(MdnsDiscovery, RejectsInvalidPeerNamesAndConfig) {
  EXPECT_THROW(MdnsDiscovery(peer(1), "Upper", {}, t0), std::invalid_argument);
  EXPECT_THROW(MdnsDiscovery(peer(1), std::string(64, 'a'), {}, t0), std::invalid_argument);
  EXPECT_THROW(MdnsDiscovery(peer(1), "a.b", {}, t0), std::invalid_argument);
  MdnsConfig zero;
  zero.query_interval = milliseconds(0);
  EXPECT_THROW(MdnsDiscovery(peer(1), "ok", zero, t0), std::invalid_argument);
}

TEST(PeerName, IsARandomLowerCaseAlphanumericLabelOf32To63Characters) {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    const std::string name = random_peer_name();
    EXPECT_GE(name.size(), 32u);
    EXPECT_LE(name.size(), 63u);
    EXPECT_EQ(name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789"), std::string::npos);
    seen.insert(name);
    EXPECT_NO_THROW(MdnsDiscovery(peer(1), name, {}, t0));
  }
  EXPECT_EQ(seen.size(), 50u);
}

}  // namespace
}  // namespace prowl::mdns
