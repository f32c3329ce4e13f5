#include "host/wire/identify/identify_message.h"

#include <gtest/gtest.h>

#include "host/base/identity/key_pair.h"
#include "host/base/identity/test_keys.h"
#include "host/wire/identify/identify.pb.h"
#include "host/wire/identify/peer_store.h"

namespace prowl::protocols {
namespace {

using identity::test_keys::key_from_fill;
using identity::test_keys::peer_from_fill;

multiaddr::Multiaddr addr(const char* text) { return *multiaddr::Multiaddr::parse(text); }

IdentifyRecord sample() {
  IdentifyRecord r;
  r.protocol_version = "ipfs/0.1.0";
  r.agent_version = "prowl/test";
  r.public_key = key_from_fill(1).public_key().to_protobuf();
  r.listen_addrs = {addr("/ip4/127.0.0.1/tcp/4001"), addr("/ip6/::1/tcp/4002/ws")};
  r.observed_addr = addr("/ip4/127.0.0.1/tcp/5555");
  r.protocols = {"/ipfs/id/1.0.0", "/ipfs/ping/1.0.0"};
  return r;
}

std::vector<uint8_t> serialize(const pb::Identify& m) {
  std::string s = m.SerializeAsString();
  return {s.begin(), s.end()};
}

TEST(IdentifyMessage, RoundTripsEveryField) {
  const IdentifyRecord r = sample();
  auto decoded = decode_identify(encode_identify(r));
  ASSERT_TRUE(decoded);
  EXPECT_TRUE(decoded->skipped.empty());
  EXPECT_EQ(decoded->record.protocol_version, r.protocol_version);
  EXPECT_EQ(decoded->record.agent_version, r.agent_version);
  EXPECT_EQ(decoded->record.public_key, r.public_key);
  EXPECT_EQ(decoded->record.listen_addrs, r.listen_addrs);
  EXPECT_EQ(decoded->record.observed_addr, r.observed_addr);
  EXPECT_EQ(decoded->record.protocols, r.protocols);
  EXPECT_FALSE(decoded->record.signed_peer_record);
}

TEST(IdentifyMessage, UsesTheSpecFieldNumbers) {
  IdentifyRecord r;
  r.agent_version = "a";
  // field 6, wire type 2: tag 0x32, length 1, 'a'
  EXPECT_EQ(encode_identify(r), (std::vector<uint8_t>{0x32, 0x01, 'a'}));
}

TEST(IdentifyMessage, SkipsBadAddressesAndProtocolsButKeepsTheRest) {
  pb::Identify m;
  m.set_agentversion("x");
  const auto good = addr("/ip4/127.0.0.1/tcp/1").bytes();
  m.add_listenaddrs(std::string(good.begin(), good.end()));
  m.add_listenaddrs(std::string("\x04\x7f\x00", 3));  // truncated /ip4
  m.add_listenaddrs("");
  m.set_observedaddr(std::string("\xff\xff\xff\x7f", 4));
  m.add_protocols("/ok/1");
  m.add_protocols("");
  auto decoded = decode_identify(serialize(m));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->record.listen_addrs.size(), 1u);
  EXPECT_FALSE(decoded->record.observed_addr);
  EXPECT_EQ(decoded->record.protocols, std::vector<std::string>{"/ok/1"});
  EXPECT_EQ(decoded->skipped.size(), 4u);
  EXPECT_NE(decoded->skipped[0].find("observedAddr"), std::string::npos) << decoded->skipped[0];
  EXPECT_NE(decoded->skipped[1].find("listenAddrs[1]"), std::string::npos) << decoded->skipped[1];
}

TEST(IdentifyMessage, RefusesMalformedAndOversizedMessages) {
  std::string error;
  const std::vector<uint8_t> truncated{0x32, 0x05, 'a'};
  EXPECT_FALSE(decode_identify(truncated, &error));
  EXPECT_NE(error.find("not a valid Identify protobuf"), std::string::npos) << error;
  const std::vector<uint8_t> huge(kMaxIdentifyBytes + 1, 0);
  EXPECT_FALSE(decode_identify(huge, &error));
  EXPECT_NE(error.find("exceeds the limit"), std::string::npos) << error;
}

TEST(IdentifyMessage, HonoursAConfiguredSizeLimit) {
  IdentifyRecord r;
  r.agent_version = std::string(200, 'a');
  const std::vector<uint8_t> bytes = encode_identify(r);
  std::string error;
  EXPECT_FALSE(decode_identify(bytes, &error, bytes.size() - 1));
  EXPECT_EQ(error, "identify message of " + std::to_string(bytes.size()) + " bytes exceeds the limit of " +
                       std::to_string(bytes.size() - 1));
  ASSERT_TRUE(decode_identify(bytes, &error, bytes.size()));
  const std::vector<uint8_t> above_default(kMaxIdentifyBytes + 1, 0);
  EXPECT_FALSE(decode_identify(above_default, &error, kMaxIdentifyBytes * 2));
  EXPECT_NE(error.find("not a valid Identify protobuf"), std::string::npos) << error;
}

TEST(IdentifyMessage, BoundsTheNumberOfProtocols) {
  pb::Identify m;
  for (size_t i = 0; i < kMaxIdentifyListEntries + 10; ++i) m.add_protocols("/p/" + std::to_string(i));
  auto decoded = decode_identify(serialize(m));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->record.protocols.size(), kMaxIdentifyListEntries);
  EXPECT_EQ(decoded->skipped.size(), 1u);
}

TEST(IdentifyMessage, ChecksThePublicKeyAgainstThePeer) {
  const IdentifyRecord r = sample();
  std::string error;
  EXPECT_TRUE(identifies_peer(r, peer_from_fill(1), &error)) << error;
  EXPECT_FALSE(identifies_peer(r, peer_from_fill(2), &error));
  EXPECT_NE(error.find("carries the public key of " + peer_from_fill(1).to_string()), std::string::npos) << error;
  IdentifyRecord no_key = r;
  no_key.public_key.reset();
  EXPECT_FALSE(identifies_peer(no_key, peer_from_fill(1), &error));
  IdentifyRecord bad_key = r;
  bad_key.public_key = std::vector<uint8_t>{0x08, 0x01};
  EXPECT_FALSE(identifies_peer(bad_key, peer_from_fill(1), &error));
  EXPECT_NE(error.find("bad public key"), std::string::npos) << error;
}

TEST(PeerStore, ReplacesOnIdentifyAndMergesOnPush) {
  PeerStore store;
  store.update(peer_from_fill(1), sample(), PeerStore::Update::kReplace);
  EXPECT_TRUE(store.supports(peer_from_fill(1), "/ipfs/ping/1.0.0"));
  EXPECT_FALSE(store.supports(peer_from_fill(2), "/ipfs/ping/1.0.0"));

  IdentifyRecord push;
  push.protocols = {"/new/1"};
  store.update(peer_from_fill(1), push, PeerStore::Update::kMerge);
  auto merged = store.find(peer_from_fill(1));
  ASSERT_TRUE(merged);
  EXPECT_EQ(merged->protocols, push.protocols);
  EXPECT_EQ(merged->agent_version, "prowl/test");       // kept
  EXPECT_EQ(merged->listen_addrs.size(), 2u);           // kept

  store.update(peer_from_fill(1), push, PeerStore::Update::kReplace);
  EXPECT_FALSE(store.find(peer_from_fill(1))->agent_version);
  store.remove(peer_from_fill(1));
  EXPECT_FALSE(store.find(peer_from_fill(1)));
}

TEST(PeerStore, ForgetsTheLeastRecentlyUpdatedPeerWhenFull) {
  PeerStore store(2);
  store.update(peer_from_fill(1), sample(), PeerStore::Update::kReplace);
  store.update(peer_from_fill(2), sample(), PeerStore::Update::kReplace);
  store.update(peer_from_fill(1), sample(), PeerStore::Update::kMerge);
  store.update(peer_from_fill(3), sample(), PeerStore::Update::kReplace);
  EXPECT_EQ(store.size(), 2u);
  EXPECT_TRUE(store.find(peer_from_fill(1)));
  EXPECT_FALSE(store.find(peer_from_fill(2)));
  EXPECT_TRUE(store.find(peer_from_fill(3)));
}

TEST(PeerStore, KeepsOnlyVerifiedNewerSignedPeerRecords) {
  using peer_record::SignedPeerRecord;
  PeerStore store;
  std::string error;
  const auto first = SignedPeerRecord::seal(key_from_fill(1), 5, {addr("/ip4/127.0.0.1/tcp/4001")});
  ASSERT_TRUE(store.add_certified(peer_from_fill(1), first.envelope(), &error)) << error;
  ASSERT_TRUE(store.certified(peer_from_fill(1)));
  EXPECT_EQ(store.certified(peer_from_fill(1))->record().addresses(), first.record().addresses());
  EXPECT_TRUE(store.add_certified(peer_from_fill(1), first.envelope(), &error)) << error;  // the same again

  // Older or equal seq with other content: refused, the kept one stays.
  const auto stale = SignedPeerRecord::seal(key_from_fill(1), 5, {addr("/ip4/127.0.0.1/tcp/9")});
  EXPECT_FALSE(store.add_certified(peer_from_fill(1), stale.envelope(), &error));
  EXPECT_NE(error.find("not newer than the kept 5"), std::string::npos) << error;
  const auto newer = SignedPeerRecord::seal(key_from_fill(1), 6, {addr("/ip4/127.0.0.1/tcp/9")});
  EXPECT_TRUE(store.add_certified(peer_from_fill(1), newer.envelope(), &error)) << error;
  EXPECT_EQ(store.certified(peer_from_fill(1))->record().seq(), 6u);

  // Peer 2 passing on peer 1's record is not peer 2's record.
  EXPECT_FALSE(store.add_certified(peer_from_fill(2), newer.envelope(), &error));
  EXPECT_NE(error.find("describes " + peer_from_fill(1).to_string()), std::string::npos) << error;
  EXPECT_FALSE(store.certified(peer_from_fill(2)));

  // A tampered envelope is refused with the envelope's reason.
  auto tampered = newer.envelope();
  tampered.back() ^= 1;
  EXPECT_FALSE(store.add_certified(peer_from_fill(1), tampered, &error));
  EXPECT_NE(error.find("does not verify"), std::string::npos) << error;
  EXPECT_EQ(store.certified(peer_from_fill(1))->record().seq(), 6u);

  // An identify update keeps the certified record; forgetting the peer drops it.
  store.update(peer_from_fill(1), sample(), PeerStore::Update::kReplace);
  EXPECT_TRUE(store.certified(peer_from_fill(1)));
  store.remove(peer_from_fill(1));
  EXPECT_FALSE(store.certified(peer_from_fill(1)));
}

}  // namespace
}  // namespace prowl::protocols
