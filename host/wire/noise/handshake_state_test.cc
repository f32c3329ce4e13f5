#include "host/wire/noise/handshake_state.h"

#include <gtest/gtest.h>

#include <string_view>

#include "host/base/encoding/hex.h"

namespace prowl::noise {
namespace {

std::vector<uint8_t> unhex(std::string_view text) { return *encoding::hex_decode(text); }

DhKeyPair key(std::string_view hex) {
  DhKeyPair::Key k;
  const auto bytes = unhex(hex);
  std::copy(bytes.begin(), bytes.end(), k.begin());
  return DhKeyPair::from_private(k);
}

// The Noise_XX_25519_ChaChaPoly_SHA256 vector of the cacophony test suite
// (shared by the Noise implementations): three handshake messages, then three
// transport messages alternating responder, initiator, responder.
struct Cacophony {
  std::vector<uint8_t> prologue = unhex("4a6f686e2047616c74");
  DhKeyPair init_static = key("e61ef9919cde45dd5f82166404bd08e38bceb5dfdfded0a34c8df7ed542214d1");
  DhKeyPair init_ephemeral = key("893e28b9dc6ca8d611ab664754b8ceb7bac5117349a4439a6b0569da977c464a");
  DhKeyPair resp_static = key("4a3acbfdb163dec651dfa3194dece676d437029c62a408b4c5ea9114246e4893");
  DhKeyPair resp_ephemeral = key("bbdb4cdbd309f1a1f2e1456967fe288cadd6f712d65dc7b7793d5e63da6b375b");
  std::string_view handshake_hash = "c8e5f64e846193be2a834104c2a009868d6c9f3bd3c186299888b488b2f1f58e";
  struct Message {
    std::string_view payload, ciphertext;
  };
  Message messages[6] = {
      {"4c756477696720766f6e204d69736573",
       "ca35def5ae56cec33dc2036731ab14896bc4c75dbb07a61f879f8e3afa4c79444c756477696720766f6e204d69736573"},
      {"4d757272617920526f746862617264",
       "95ebc60d2b1fa672c1f46a8aa265ef51bfe38e7ccb39ec5be34069f14480884381cbad1f276e038c48378ffce2b65285e08d6b68aaa3"
       "629a5a8639392490e5b9bd5269c2f1e4f488ed8831161f19b7815528f8982ffe09be9b5c412f8a0db50f8814c7194e83f23dbd8d162c"
       "9326ad"},
      {"462e20412e20486179656b",
       "c7195ffacac1307ff99046f219750fc47693e23c3cb08b89c2af808b444850a80ae475b9df0f169ae80a89be0865b57f58c9fea0d4ec"
       "82a286427402f113e4b6ae769a1d95941d49b25030"},
      {"4361726c204d656e676572", "96763ed773f8e47bb3712f0e29b3060ffc956ffc146cee53d5e1df"},
      {"4a65616e2d426170746973746520536179", "3e40f15f6f3a46ae446b253bf8b1d9ffb6ed9b174d272328ff91a7e2e5c79c07f5"},
      {"457567656e2042f6686d20766f6e2042617765726b",
       "eb3f3515110702e047a6c9da4478b6ead94873c11c0f2d710ddb3f09fce024b3a58502ae3f"},
  };
};

TEST(HandshakeState, MatchesCacophonyVector) {
  Cacophony v;
  HandshakeState initiator(Role::kInitiator, v.init_static, v.init_ephemeral, v.prologue);
  HandshakeState responder(Role::kResponder, v.resp_static, v.resp_ephemeral, v.prologue);
  std::string error;
  for (size_t i = 0; i < 3; ++i) {
    HandshakeState& writer = i % 2 == 0 ? initiator : responder;
    HandshakeState& reader = i % 2 == 0 ? responder : initiator;
    ASSERT_TRUE(writer.is_my_turn());
    ASSERT_FALSE(reader.is_my_turn());
    std::vector<uint8_t> message;
    ASSERT_TRUE(writer.write_message(unhex(v.messages[i].payload), message, &error)) << error;
    EXPECT_EQ(encoding::hex_encode(message), v.messages[i].ciphertext) << "message " << i;
    std::vector<uint8_t> payload;
    ASSERT_TRUE(reader.read_message(message, payload, &error)) << error;
    EXPECT_EQ(encoding::hex_encode(payload), v.messages[i].payload);
  }
  ASSERT_TRUE(initiator.finished());
  ASSERT_TRUE(responder.finished());
  EXPECT_EQ(encoding::hex_encode(initiator.handshake_hash()), v.handshake_hash);
  EXPECT_EQ(encoding::hex_encode(responder.handshake_hash()), v.handshake_hash);
  EXPECT_EQ(initiator.remote_static(), v.resp_static.public_key());
  EXPECT_EQ(responder.remote_static(), v.init_static.public_key());

  auto [i_send, i_recv] = initiator.split();
  auto [r_recv, r_send] = responder.split();
  for (size_t i = 3; i < 6; ++i) {
    const bool from_responder = i % 2 == 1;
    CipherState& sender = from_responder ? r_send : i_send;
    CipherState& receiver = from_responder ? i_recv : r_recv;
    const auto plaintext = unhex(v.messages[i].payload);
    std::vector<uint8_t> sealed(plaintext.size() + Aead::kTagLength);
    ASSERT_TRUE(sender.encrypt_with_ad({}, plaintext, sealed));
    EXPECT_EQ(encoding::hex_encode(sealed), v.messages[i].ciphertext) << "message " << i;
    std::vector<uint8_t> opened(plaintext.size());
    ASSERT_TRUE(receiver.decrypt_with_ad({}, sealed, opened));
    EXPECT_EQ(opened, plaintext);
  }
}

TEST(HandshakeState, RefusesWrongTurnsShortMessagesAndLowOrderKeys) {
  Cacophony v;
  std::string error;
  std::vector<uint8_t> out, payload;
  HandshakeState responder(Role::kResponder, v.resp_static, v.resp_ephemeral, {});
  EXPECT_FALSE(responder.write_message({}, out, &error));
  EXPECT_EQ(error, "not our turn to write a handshake message");

  HandshakeState short_reader(Role::kResponder, v.resp_static, v.resp_ephemeral, {});
  EXPECT_FALSE(short_reader.read_message(std::vector<uint8_t>(31), payload, &error));
  EXPECT_EQ(error, "handshake message 1 has 31 bytes; expected 32 to 65535");
  EXPECT_FALSE(short_reader.read_message(std::vector<uint8_t>(32, 9), payload, &error));
  EXPECT_EQ(error, "handshake already failed");

  // An all-zero ephemeral key is a low-order point: the responder's ee fails.
  HandshakeState low_order(Role::kResponder, v.resp_static, v.resp_ephemeral, {});
  ASSERT_TRUE(low_order.read_message(std::vector<uint8_t>(32, 0), payload, &error)) << error;
  EXPECT_FALSE(low_order.write_message({}, out, &error));
  EXPECT_EQ(error, "remote X25519 key is a low-order point (all-zero shared secret)");
}

TEST(HandshakeState, RefusesOversizedPayload) {
  Cacophony v;
  std::string error;
  std::vector<uint8_t> out;
  HandshakeState initiator(Role::kInitiator, v.init_static, v.init_ephemeral, {});
  EXPECT_EQ(initiator.max_payload_length(), 65535u - 32u);
  EXPECT_FALSE(initiator.write_message(std::vector<uint8_t>(65535 - 31), out, &error));
  EXPECT_EQ(error, "handshake payload of 65504 bytes exceeds the 65503-byte limit of message 1");
}

}  // namespace
}  // namespace prowl::noise
