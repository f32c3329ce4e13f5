#include "host/base/peer_record/signed_peer_record.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "host/base/encoding/hex.h"
#include "host/base/identity/test_keys.h"
#include "host/base/peer_record/peer_record.pb.h"

namespace prowl::peer_record {
namespace {

using identity::test_keys::key_from_fill;
using identity::test_keys::peer_from_fill;

multiaddr::Multiaddr addr(const char* text) { return *multiaddr::Multiaddr::parse(text); }

std::vector<uint8_t> unhex(const std::string& hex) { return *encoding::hex_decode(hex); }

// Made by js-libp2p (@libp2p/peer-record 9.0.16) with
//   node tests/interop/js/peer-record.mjs seal --key 1111...11 (32 bytes)
//     --seq 1700000000000 --addr /ip4/127.0.0.1/tcp/4001 --addr /ip6/::1/tcp/4002/ws
const std::string kJsEnvelope =
    "0a2408011220d04ab232742bb4ab3a1368bd4615e4e6d0224ab71a016baf8520a332c9778737120203011a550a2600"
    "2408011220d04ab232742bb4ab3a1368bd4615e4e6d0224ab71a016baf8520a332c97787371080d095ffbc311a0a0a"
    "08047f000001060fa11a180a162900000000000000000000000000000001060fa2dd032a40fa76c1612afd8c78466f"
    "6b95bf0272edb88de1efe65e4ba0e47b9cb580dd8bc8cd2fd88a02429ad5a41b3d1e803eebaa020aca14db5fbb688d"
    "39e97a765f0903";

TEST(SignedPeerRecord, OpensTheRecordJsLibp2pSealed) {
  std::string error;
  const auto record = SignedPeerRecord::open(unhex(kJsEnvelope), &error);
  ASSERT_TRUE(record) << error;
  EXPECT_EQ(record->peer().to_string(), "12D3KooWPqT2nMDSiXUSx5D7fasaxhxKigVhcqfkKqrLghCq9jxz");
  EXPECT_EQ(record->peer(), peer_from_fill(0x11));
  EXPECT_EQ(record->record().seq(), 1700000000000u);
  const std::vector<multiaddr::Multiaddr> want{addr("/ip4/127.0.0.1/tcp/4001"), addr("/ip6/::1/tcp/4002/ws")};
  EXPECT_EQ(record->record().addresses(), want);
}

TEST(SignedPeerRecord, SealsTheSameBytesAsJsLibp2p) {
  // Ed25519 signatures and the protobuf encodings are deterministic.
  const auto record = SignedPeerRecord::seal(
      key_from_fill(0x11), 1700000000000u, {addr("/ip4/127.0.0.1/tcp/4001"), addr("/ip6/::1/tcp/4002/ws")});
  EXPECT_EQ(encoding::hex_encode(record.envelope()), kJsEnvelope);
}

TEST(SignedPeerRecord, RoundTripsAndDropsTrailingPeerIds) {
  const auto key = key_from_fill(3);
  const auto me = identity::PeerId::from_public_key(key.public_key());
  const auto with_id = addr("/ip4/10.0.0.1/tcp/1").with_peer(me.bytes());
  const auto sealed = SignedPeerRecord::seal(key, 0, {*with_id});
  std::string error;
  const auto opened = SignedPeerRecord::open(sealed.envelope(), &error);
  ASSERT_TRUE(opened) << error;
  EXPECT_EQ(opened->peer(), me);
  EXPECT_EQ(opened->record().seq(), 0u);
  ASSERT_EQ(opened->record().addresses().size(), 1u);
  EXPECT_EQ(opened->record().addresses()[0].to_string(), "/ip4/10.0.0.1/tcp/1");
  EXPECT_EQ(opened->envelope(), sealed.envelope());
}

TEST(SignedPeerRecord, RefusesARecordSignedByAnotherPeer) {
  const auto victim = peer_from_fill(1);
  const PeerRecord forged(victim, 5, {addr("/ip4/6.6.6.6/tcp/666")});
  const auto envelope = Envelope::seal(key_from_fill(2), kPeerRecordDomain, kPeerRecordPayloadType, forged.encode());
  std::string error;
  EXPECT_FALSE(SignedPeerRecord::open(envelope.bytes(), &error));
  EXPECT_NE(error.find("but describes " + victim.to_string()), std::string::npos) << error;
}

TEST(SignedPeerRecord, RefusesOtherPayloadTypesAndDomains) {
  const auto key = key_from_fill(1);
  const PeerRecord record(identity::PeerId::from_public_key(key.public_key()), 1, {});
  const std::vector<uint8_t> other_type{0x03, 0x02};
  std::string error;
  auto envelope = Envelope::seal(key, kPeerRecordDomain, other_type, record.encode());
  EXPECT_FALSE(SignedPeerRecord::open(envelope.bytes(), &error));
  EXPECT_NE(error.find("payload type 0302 is not a peer record's"), std::string::npos) << error;

  envelope = Envelope::seal(key, "libp2p-routing-state", kPeerRecordPayloadType, record.encode());
  EXPECT_FALSE(SignedPeerRecord::open(envelope.bytes(), &error));
  EXPECT_NE(error.find("does not verify"), std::string::npos) << error;
}

TEST(SignedPeerRecord, NamesTheBadPartOfAPayload) {
  const auto key = key_from_fill(1);
  std::string error;
  // A record whose address is not a multiaddr.
  const auto peer = identity::PeerId::from_public_key(key.public_key());
  pb::PeerRecord message;
  message.set_peer_id(peer.bytes().data(), peer.bytes().size());
  message.add_addresses()->set_multiaddr("\xff");
  const std::string raw = message.SerializeAsString();
  const std::vector<uint8_t> payload(raw.begin(), raw.end());
  auto envelope = Envelope::seal(key, kPeerRecordDomain, kPeerRecordPayloadType, payload);
  EXPECT_FALSE(SignedPeerRecord::open(envelope.bytes(), &error));
  EXPECT_NE(error.find("peer record: addresses[0]:"), std::string::npos) << error;

  const std::vector<uint8_t> bad_peer{0x0a, 0x02, 0x99, 0x00};
  envelope = Envelope::seal(key, kPeerRecordDomain, kPeerRecordPayloadType, bad_peer);
  EXPECT_FALSE(SignedPeerRecord::open(envelope.bytes(), &error));
  EXPECT_NE(error.find("peer record: peer_id (field 1):"), std::string::npos) << error;
}

TEST(SignedPeerRecord, BoundsTheNumberOfAddresses) {
  std::vector<multiaddr::Multiaddr> many(kMaxRecordAddresses + 1, addr("/ip4/1.2.3.4/tcp/5"));
  EXPECT_THROW(SignedPeerRecord::seal(key_from_fill(1), 1, many), std::length_error);
  many.pop_back();
  std::string error;
  EXPECT_TRUE(SignedPeerRecord::open(SignedPeerRecord::seal(key_from_fill(1), 1, many).envelope(), &error)) << error;
}

}  // namespace
}  // namespace prowl::peer_record
