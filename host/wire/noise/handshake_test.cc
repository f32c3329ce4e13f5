#include "host/wire/noise/handshake.h"

#include <gtest/gtest.h>

#include <functional>

#include "host/base/identity/test_keys.h"
#include "host/wire/noise/frame_decoder.h"
#include "host/wire/noise/handshake_payload.pb.h"
#include "host/wire/noise/secure_channel.h"

namespace prowl::noise {
namespace {

using identity::KeyPair;
using identity::PeerId;

using identity::test_keys::key_from_fill;
using identity::test_keys::peer_from_fill;

// Strips the 2-byte length prefix of the single frame in `wire`.
std::vector<uint8_t> unframe(const std::vector<uint8_t>& wire) {
  FrameDecoder decoder;
  std::span<const uint8_t> in(wire);
  auto frame = decoder.next(in);
  EXPECT_TRUE(frame && in.empty());
  return frame ? std::vector<uint8_t>(frame->begin(), frame->end()) : std::vector<uint8_t>{};
}

struct Outcome {
  bool initiator_ok = true;
  bool responder_ok = true;
  std::string error;
};

// Runs the three messages; `tamper(index, message)` may alter message 0..2.
Outcome run(Handshake& initiator, Handshake& responder,
            const std::function<void(size_t, std::vector<uint8_t>&)>& tamper = {}) {
  Outcome outcome;
  for (size_t i = 0; i < 3; ++i) {
    Handshake& writer = i % 2 == 0 ? initiator : responder;
    Handshake& reader = i % 2 == 0 ? responder : initiator;
    bool& writer_ok = i % 2 == 0 ? outcome.initiator_ok : outcome.responder_ok;
    bool& reader_ok = i % 2 == 0 ? outcome.responder_ok : outcome.initiator_ok;
    EXPECT_TRUE(writer.wants_to_write());
    EXPECT_FALSE(reader.wants_to_write());
    std::vector<uint8_t> wire;
    if (!writer.write_message(wire, &outcome.error)) {
      writer_ok = false;
      return outcome;
    }
    auto message = unframe(wire);
    if (tamper) tamper(i, message);
    if (!reader.read_message(message, &outcome.error)) {
      reader_ok = false;
      return outcome;
    }
  }
  return outcome;
}

TEST(Handshake, CompletesWithRealKeysAndVerifiesBothPeers) {
  const KeyPair alice = key_from_fill(1), bob = key_from_fill(2);
  const PeerId alice_id = PeerId::from_public_key(alice.public_key());
  const PeerId bob_id = PeerId::from_public_key(bob.public_key());
  Handshake initiator(Role::kInitiator, alice, {.expected_remote = bob_id, .extensions = {{}, {"/yamux/1.0.0"}}});
  Handshake responder(Role::kResponder, bob, {.expected_remote = alice_id, .extensions = {}});
  const Outcome outcome = run(initiator, responder);
  ASSERT_TRUE(outcome.initiator_ok && outcome.responder_ok) << outcome.error;
  ASSERT_TRUE(initiator.is_complete());
  ASSERT_TRUE(responder.is_complete());
  EXPECT_EQ(initiator.remote_peer_id(), bob_id);
  EXPECT_EQ(responder.remote_peer_id(), alice_id);
  EXPECT_EQ(initiator.remote_public_key(), bob.public_key());
  EXPECT_EQ(responder.remote_public_key(), alice.public_key());
  EXPECT_EQ(responder.remote_extensions().stream_muxers, std::vector<std::string>{"/yamux/1.0.0"});
  EXPECT_TRUE(initiator.remote_extensions().stream_muxers.empty());
  EXPECT_EQ(initiator.handshake_hash(), responder.handshake_hash());

  auto [i_send, i_recv] = initiator.take_cipher_states();
  auto [r_send, r_recv] = responder.take_cipher_states();
  EXPECT_THROW(initiator.take_cipher_states(), std::logic_error);
  SecureChannel a(std::move(i_send), std::move(i_recv));
  SecureChannel b(std::move(r_send), std::move(r_recv));
  std::string error;
  std::vector<uint8_t> wire, out;
  const std::vector<uint8_t> hello = {'h', 'i'};
  ASSERT_TRUE(a.encrypt(hello, wire, &error));
  ASSERT_TRUE(b.decrypt(wire, out, &error)) << error;
  EXPECT_EQ(out, hello);
  wire.clear();
  out.clear();
  ASSERT_TRUE(b.encrypt(hello, wire, &error));
  ASSERT_TRUE(a.decrypt(wire, out, &error)) << error;
  EXPECT_EQ(out, hello);
}

TEST(Handshake, MessageSizesFollowTheSpec) {
  Handshake initiator(Role::kInitiator, key_from_fill(1));
  Handshake responder(Role::kResponder, key_from_fill(2));
  std::vector<size_t> sizes;
  run(initiator, responder, [&](size_t, std::vector<uint8_t>& m) { sizes.push_back(m.size()); });
  ASSERT_EQ(sizes.size(), 3u);
  EXPECT_EQ(sizes[0], 32u);  // e, empty payload
  // Payload: identity_key (2 + 36) + identity_sig (2 + 64) = 104 bytes.
  EXPECT_EQ(sizes[1], 32u + 48u + 104u + 16u);
  EXPECT_EQ(sizes[2], 48u + 104u + 16u);
}

TEST(Handshake, TamperedByteInAnyMessageFails) {
  for (size_t target = 0; target < 3; ++target) {
    for (size_t position : {size_t{0}, size_t{31}, size_t{40}, size_t{100}, size_t{150}}) {
      Handshake initiator(Role::kInitiator, key_from_fill(1));
      Handshake responder(Role::kResponder, key_from_fill(2));
      bool tampered = false;
      const Outcome outcome = run(initiator, responder, [&](size_t i, std::vector<uint8_t>& m) {
        if (i == target && position < m.size()) {
          m[position] ^= 0x01;
          tampered = true;
        }
      });
      if (!tampered) continue;
      SCOPED_TRACE("message " + std::to_string(target) + " byte " + std::to_string(position));
      EXPECT_FALSE(outcome.initiator_ok && outcome.responder_ok);
      EXPECT_FALSE(responder.is_complete());
      EXPECT_NE(outcome.error.find("handshake message authentication failed"), std::string::npos) << outcome.error;
    }
  }
}

TEST(Handshake, WrongExpectedPeerIdFailsOnEitherSide) {
  const PeerId carol = peer_from_fill(3);
  const PeerId bob_id = peer_from_fill(2);
  {
    Handshake initiator(Role::kInitiator, key_from_fill(1), {.expected_remote = carol, .extensions = {}});
    Handshake responder(Role::kResponder, key_from_fill(2));
    const Outcome outcome = run(initiator, responder);
    EXPECT_FALSE(outcome.initiator_ok);
    EXPECT_EQ(outcome.error,
              "remote peer id " + bob_id.to_string() + " does not match expected " + carol.to_string());
    EXPECT_TRUE(initiator.failed());
    std::vector<uint8_t> wire;
    std::string error;
    EXPECT_FALSE(initiator.write_message(wire, &error));  // never sends message 3
    EXPECT_TRUE(wire.empty());
  }
  {
    Handshake initiator(Role::kInitiator, key_from_fill(1));
    Handshake responder(Role::kResponder, key_from_fill(2), {.expected_remote = carol, .extensions = {}});
    const Outcome outcome = run(initiator, responder);
    EXPECT_FALSE(outcome.responder_ok);
    EXPECT_NE(outcome.error.find("does not match expected " + carol.to_string()), std::string::npos);
    EXPECT_FALSE(responder.is_complete());
  }
}

// A hand-driven responder that sends `payload` as its message-2 payload, so
// tests can present a forged or malformed payload to a real initiator.
std::string initiator_error_for_payload(const std::function<std::string(const DhKeyPair::Key&)>& payload_for) {
  Handshake initiator(Role::kInitiator, key_from_fill(1));
  const DhKeyPair responder_static = DhKeyPair::generate();
  HandshakeState responder(Role::kResponder, responder_static, DhKeyPair::generate(), {});
  std::string error;
  std::vector<uint8_t> wire, payload, message;
  EXPECT_TRUE(initiator.write_message(wire, &error));
  EXPECT_TRUE(responder.read_message(unframe(wire), payload, &error));
  const std::string body = payload_for(responder_static.public_key());
  EXPECT_TRUE(responder.write_message(std::span(reinterpret_cast<const uint8_t*>(body.data()), body.size()), message,
                                      &error));
  EXPECT_FALSE(initiator.read_message(message, &error));
  EXPECT_TRUE(initiator.failed());
  return error;
}

std::string signed_payload(const KeyPair& key, const DhKeyPair::Key& signed_static) {
  std::vector<uint8_t> message;
  const std::string_view prefix = "noise-libp2p-static-key:";
  message.insert(message.end(), prefix.begin(), prefix.end());
  message.insert(message.end(), signed_static.begin(), signed_static.end());
  const auto sig = key.sign(message);
  const auto pub = key.public_key().to_protobuf();
  pb::NoiseHandshakePayload p;
  p.set_identity_key(pub.data(), pub.size());
  p.set_identity_sig(sig.data(), sig.size());
  return p.SerializeAsString();
}

TEST(Handshake, SignatureOverAnotherStaticKeyFails) {
  const std::string error = initiator_error_for_payload([](const DhKeyPair::Key&) {
    return signed_payload(key_from_fill(2), DhKeyPair::generate().public_key());
  });
  EXPECT_EQ(error, "identity signature over static key invalid");
}

TEST(Handshake, GenuineHandDrivenPayloadIsAccepted) {
  Handshake initiator(Role::kInitiator, key_from_fill(1));
  const DhKeyPair responder_static = DhKeyPair::generate();
  HandshakeState responder(Role::kResponder, responder_static, DhKeyPair::generate(), {});
  std::string error;
  std::vector<uint8_t> wire, payload, message;
  ASSERT_TRUE(initiator.write_message(wire, &error));
  ASSERT_TRUE(responder.read_message(unframe(wire), payload, &error));
  const std::string body = signed_payload(key_from_fill(2), responder_static.public_key());
  ASSERT_TRUE(responder.write_message(std::span(reinterpret_cast<const uint8_t*>(body.data()), body.size()), message,
                                      &error));
  ASSERT_TRUE(initiator.read_message(message, &error)) << error;
  EXPECT_EQ(initiator.remote_public_key(), key_from_fill(2).public_key());
}

TEST(Handshake, MalformedPayloadsFailWithTheirReason) {
  EXPECT_EQ(initiator_error_for_payload([](const DhKeyPair::Key&) { return std::string("\x0a\x05\x01", 3); }),
            "handshake payload is not a valid NoiseHandshakePayload protobuf");
  EXPECT_EQ(initiator_error_for_payload([](const DhKeyPair::Key&) { return std::string(); }),
            "handshake payload has no identity_key");
  const std::string rsa = initiator_error_for_payload([](const DhKeyPair::Key&) {
    pb::NoiseHandshakePayload p;
    p.set_identity_key(std::string("\x08\x00\x12\x04\x01\x02\x03\x04", 8));  // KeyType RSA
    p.set_identity_sig(std::string(64, 'x'));
    return p.SerializeAsString();
  });
  EXPECT_EQ(rsa.rfind("handshake payload identity_key: ", 0), 0u) << rsa;
  EXPECT_NE(rsa.find("RSA"), std::string::npos) << rsa;
}

}  // namespace
}  // namespace prowl::noise
