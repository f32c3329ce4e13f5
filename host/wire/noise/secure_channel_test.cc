#include "host/wire/noise/secure_channel.h"

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

// Receives `wire` through open_next the way a read loop does: bytes arrive in
// uneven reads appended behind the incomplete frame left from the last call.
// All but the first `held` frames (begun in the channel) must be decrypted in place.
std::vector<uint8_t> open_all(SecureChannel& channel, std::vector<uint8_t> wire, uint32_t seed, size_t held = 0) {
  std::vector<uint8_t> received;
  std::mt19937 rng(seed);
  std::string error;
  size_t begin = 0;
  for (size_t end = 0; end < wire.size();) {
    end = std::min<size_t>(wire.size(), end + 1 + rng() % 150000);
    std::span<uint8_t> in = std::span(wire).subspan(begin, end - begin);
    for (;;) {
      const auto opened = channel.open_next(in, &error);
      EXPECT_NE(opened.status, SecureChannel::Opened::Status::kFailed) << error;
      if (opened.status != SecureChannel::Opened::Status::kPlaintext) break;
      if (held > 0) {
        --held;
      } else {  // in place: the plaintext sits inside the wire buffer
        EXPECT_GE(opened.plaintext.data(), wire.data());
        EXPECT_LE(opened.plaintext.data() + opened.plaintext.size(), wire.data() + wire.size());
      }
      received.insert(received.end(), opened.plaintext.begin(), opened.plaintext.end());
    }
    begin = end - in.size();
  }
  EXPECT_EQ(begin, wire.size());
  return received;
}

TEST(SecureChannel, GatherSealEqualsSealOfTheJoinedBytesAcrossFrameBoundaries) {
  const auto plaintext = pattern(200000);
  Pair joined, gathered;
  std::string error;
  std::vector<uint8_t> expected, wire(SecureChannel::sealed_size(plaintext.size()));
  ASSERT_TRUE(joined.a.encrypt(plaintext, expected, &error));
  const std::span<const uint8_t> all(plaintext);
  // Parts of 12, 0, 65507 (ends a frame exactly), 1, 70000 and the rest bytes.
  const std::span<const uint8_t> parts[] = {all.first(12), all.subspan(12, 0), all.subspan(12, 65507),
                                            all.subspan(65519, 1), all.subspan(65520, 70000),
                                            all.subspan(135520)};
  ASSERT_TRUE(gathered.a.seal_gather(parts, wire, &error)) << error;
  EXPECT_EQ(wire, expected);
  EXPECT_EQ(open_all(gathered.b, wire, 3), plaintext);
}

TEST(SecureChannel, OpenNextDecryptsInPlaceInAnyChunking) {
  const auto plaintext = pattern(1 << 20);
  Pair p;
  std::string error;
  std::vector<uint8_t> wire;
  ASSERT_TRUE(p.a.encrypt(plaintext, wire, &error));
  EXPECT_EQ(open_all(p.b, wire, 11), plaintext);
  EXPECT_EQ(p.b.frames_received(), p.a.frames_sent());
}

TEST(SecureChannel, OpenNextFinishesAFrameThatDecryptBegan) {
  const auto plaintext = pattern(100000);
  Pair p;
  std::string error;
  std::vector<uint8_t> wire, received;
  ASSERT_TRUE(p.a.encrypt(plaintext, wire, &error));
  ASSERT_TRUE(p.b.decrypt(std::span(wire).first(1000), received, &error));  // the handshake's leftover
  EXPECT_TRUE(received.empty());
  std::vector<uint8_t> rest(wire.begin() + 1000, wire.end());
  const auto tail = open_all(p.b, rest, 5, /*held=*/1);
  received.insert(received.end(), tail.begin(), tail.end());
  EXPECT_EQ(received, plaintext);
}

TEST(SecureChannel, OpenNextFailsOnATamperedFrameAndStaysFailed) {
  Pair p;
  std::string error;
  std::vector<uint8_t> wire;
  ASSERT_TRUE(p.a.encrypt(pattern(100), wire, &error));
  wire[10] ^= 1;
  std::span<uint8_t> in(wire);
  EXPECT_EQ(p.b.open_next(in, &error).status, SecureChannel::Opened::Status::kFailed);
  EXPECT_EQ(error, "transport message 0 authentication failed");
  std::span<uint8_t> none;
  EXPECT_EQ(p.b.open_next(none, &error).status, SecureChannel::Opened::Status::kFailed);
  EXPECT_EQ(error, "receive direction already failed");
}

// The piecewise open a Yamux read loop uses: each frame's body decrypted in
// uneven pieces, alternately in place and into a separate buffer (a reader's).
TEST(SecureChannel, OpensAFrameInPiecesRoutedToDifferentBuffers) {
  const auto plaintext = pattern(3 * 65519 + 100);
  Pair p;
  std::string error;
  std::vector<uint8_t> wire, received;
  ASSERT_TRUE(p.a.encrypt(plaintext, wire, &error));
  std::span<uint8_t> in(wire);
  std::mt19937 rng(17);
  for (;;) {
    const SecureChannel::Begun begun = p.b.begin_open(in, &error);
    if (begun.status == SecureChannel::Opened::Status::kNeedMore) break;
    ASSERT_EQ(begun.status, SecureChannel::Opened::Status::kPlaintext) << error;
    std::vector<uint8_t> elsewhere(begun.ciphertext.size());
    std::vector<std::span<const uint8_t>> pieces;
    bool in_place = true;
    for (size_t at = 0; at < begun.ciphertext.size(); in_place = !in_place) {
      const size_t n = std::min<size_t>(begun.ciphertext.size() - at, 1 + rng() % 9000);
      const auto piece = begun.ciphertext.subspan(at, n);
      const auto out = in_place ? piece : std::span(elsewhere).subspan(at, n);
      p.b.open_part(piece, out);
      pieces.push_back(out);
      at += n;
    }
    ASSERT_TRUE(p.b.finish_open(&error)) << error;
    for (const auto piece : pieces) received.insert(received.end(), piece.begin(), piece.end());
  }
  EXPECT_TRUE(in.empty());
  EXPECT_EQ(received, plaintext);
  EXPECT_EQ(p.b.frames_received(), 4u);
}

TEST(SecureChannel, PiecewiseOpenRefusesATamperedFrameAndStaysFailed) {
  Pair p;
  std::string error;
  std::vector<uint8_t> wire;
  ASSERT_TRUE(p.a.encrypt(pattern(20000), wire, &error));
  wire[15000] ^= 0x10;
  std::span<uint8_t> in(wire);
  const SecureChannel::Begun begun = p.b.begin_open(in, &error);
  ASSERT_EQ(begun.status, SecureChannel::Opened::Status::kPlaintext);
  p.b.open_part(begun.ciphertext.first(12), begun.ciphertext.first(12));
  std::vector<uint8_t> elsewhere(begun.ciphertext.size() - 12);
  p.b.open_part(begun.ciphertext.subspan(12), elsewhere);
  EXPECT_FALSE(p.b.finish_open(&error));
  EXPECT_EQ(error, "transport message 0 authentication failed");
  EXPECT_EQ(p.b.frames_received(), 0u);
  std::span<uint8_t> none;
  EXPECT_EQ(p.b.begin_open(none, &error).status, SecureChannel::Opened::Status::kFailed);
  EXPECT_EQ(error, "receive direction already failed");
}

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
