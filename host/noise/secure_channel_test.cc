#include "host/noise/secure_channel.h"

#include <gtest/gtest.h>

#include <random>

namespace prowl::noise {
namespace {

struct Pair {
  SecureChannel a{CipherState(Aead::Key{1}), CipherState(Aead::Key{2})};
  SecureChannel b{CipherState(Aead::Key{2}), CipherState(Aead::Key{1})};
};

std::vector<uint8_t> pattern(size_t n) {
  std::vector<uint8_t> v(n);
  std::mt19937 rng(static_cast<uint32_t>(n));
  for (auto& x : v) x = static_cast<uint8_t>(rng());
  return v;
}

class RoundTrip : public ::testing::TestWithParam<size_t> {};

TEST_P(RoundTrip, EncryptsIntoBoundedFramesAndDecryptsInAnyChunking) {
  const size_t n = GetParam();
  const auto plaintext = pattern(n);
  Pair p;
  std::string error;
  std::vector<uint8_t> wire;
  ASSERT_TRUE(p.a.encrypt(plaintext, wire, &error)) << error;
  EXPECT_EQ(wire.size(), SecureChannel::sealed_size(n));
  const uint64_t frames = (n + 65518) / 65519;
  EXPECT_EQ(p.a.frames_sent(), frames);
  // Every frame is at most 65535 bytes behind its 2-byte length.
  for (size_t at = 0; at < wire.size();) {
    const size_t len = (size_t{wire[at]} << 8) | wire[at + 1];
    EXPECT_GE(len, 17u);
    at += 2 + len;
    EXPECT_LE(at, wire.size());
  }
  // Deliver in uneven pieces.
  std::vector<uint8_t> received;
  std::mt19937 rng(7);
  for (size_t at = 0; at < wire.size();) {
    const size_t piece = std::min<size_t>(wire.size() - at, 1 + rng() % 70000);
    ASSERT_TRUE(p.b.decrypt(std::span(wire).subspan(at, piece), received, &error)) << error;
    at += piece;
  }
  EXPECT_EQ(received, plaintext);
  EXPECT_EQ(p.b.frames_received(), frames);
}

INSTANTIATE_TEST_SUITE_P(Sizes, RoundTrip, ::testing::Values(0, 1, 65519, 65520, 1 << 20));

TEST(SecureChannel, FrameSizesAtTheBoundary) {
  EXPECT_EQ(SecureChannel::kMaxPlaintextPerFrame, 65519u);
  EXPECT_EQ(SecureChannel::sealed_size(0), 0u);
  EXPECT_EQ(SecureChannel::sealed_size(1), 19u);
  EXPECT_EQ(SecureChannel::sealed_size(65519), 65537u);
  EXPECT_EQ(SecureChannel::sealed_size(65520), 65537u + 19u);
}

TEST(SecureChannel, AcceptsATagOnlyMessageAsEmptyPlaintext) {
  CipherState sender(Aead::Key{1});
  std::vector<uint8_t> wire(2 + 16);
  put_frame_length(wire.data(), 16);
  ASSERT_TRUE(sender.encrypt_with_ad({}, {}, std::span(wire).subspan(2)));
  SecureChannel receiver(CipherState(Aead::Key{2}), CipherState(Aead::Key{1}));
  std::vector<uint8_t> out;
  std::string error;
  ASSERT_TRUE(receiver.decrypt(wire, out, &error)) << error;
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(receiver.frames_received(), 1u);
}

TEST(SecureChannel, TamperedFrameFailsAndPoisonsTheReceiveDirection) {
  Pair p;
  std::string error;
  std::vector<uint8_t> wire, out;
  ASSERT_TRUE(p.a.encrypt(pattern(100), wire, &error));
  ASSERT_TRUE(p.a.encrypt(pattern(100), wire, &error));
  wire[2 + 100 + 16 + 2 + 50] ^= 0x20;  // inside the second frame
  EXPECT_FALSE(p.b.decrypt(wire, out, &error));
  EXPECT_EQ(error, "transport message 1 authentication failed");
  EXPECT_EQ(out, pattern(100));  // the first frame was good and is delivered
  EXPECT_FALSE(p.b.decrypt({}, out, &error));
  EXPECT_EQ(error, "receive direction already failed");
}

TEST(SecureChannel, ReplayedOrReorderedFramesFail) {
  Pair p;
  std::string error;
  std::vector<uint8_t> first, second, out;
  ASSERT_TRUE(p.a.encrypt(pattern(10), first, &error));
  ASSERT_TRUE(p.a.encrypt(pattern(11), second, &error));
  ASSERT_TRUE(p.b.decrypt(first, out, &error));
  EXPECT_FALSE(p.b.decrypt(first, out, &error));
  EXPECT_EQ(error, "transport message 1 authentication failed");
}

TEST(SecureChannel, FrameShorterThanTagFails) {
  Pair p;
  const std::vector<uint8_t> wire = {0x00, 0x03, 1, 2, 3};
  std::vector<uint8_t> out;
  std::string error;
  EXPECT_FALSE(p.b.decrypt(wire, out, &error));
  EXPECT_EQ(error, "transport message 0 has 3 bytes, fewer than the 16-byte authentication tag");
}

TEST(SecureChannel, NonceExhaustionRefusesToSendOrReceive) {
  CipherState send(Aead::Key{1});
  send.set_nonce(CipherState::kMaxNonce - 1);
  SecureChannel channel(std::move(send), CipherState(Aead::Key{2}));
  std::vector<uint8_t> wire;
  std::string error;
  EXPECT_FALSE(channel.encrypt(pattern(65520), wire, &error));  // needs two nonces, one is left
  EXPECT_TRUE(wire.empty());
  EXPECT_EQ(error, "send nonce exhausted: the channel has carried 2^64-1 messages and must be closed");
  ASSERT_TRUE(channel.encrypt(pattern(5), wire, &error)) << error;
  EXPECT_FALSE(channel.encrypt(pattern(1), wire, &error));

  CipherState receive(Aead::Key{1});
  receive.set_nonce(CipherState::kMaxNonce);
  SecureChannel receiver(CipherState(Aead::Key{2}), std::move(receive));
  std::vector<uint8_t> out;
  EXPECT_FALSE(receiver.decrypt(wire, out, &error));
  EXPECT_EQ(error, "receive nonce exhausted: the channel has carried 2^64-1 messages and must be closed");
}

}  // namespace
}  // namespace prowl::noise
