#include "host/swarm/payload_router.h"

#include <gtest/gtest.h>

#include <map>
#include <vector>

namespace prowl::swarm {
namespace {

using yamux::FrameHeader;
using yamux::FrameType;

std::vector<uint8_t> data_frame(yamux::StreamId id, size_t length, uint8_t fill) {
  std::vector<uint8_t> out;
  yamux::append_header(out, FrameHeader{yamux::kVersion, FrameType::kData, 0, id, static_cast<uint32_t>(length)});
  out.insert(out.end(), length, fill);
  return out;
}

std::vector<uint8_t> window_update(yamux::StreamId id) {
  std::vector<uint8_t> out;
  yamux::append_header(out, FrameHeader{yamux::kVersion, FrameType::kWindowUpdate, 0, id, 4096});
  return out;
}

// Routes `body` (plaintext standing in for its ciphertext: "decrypting" a
// piece copies it) and returns each piece's destination; the rooms readers
// wait with are `rooms`.
struct Harness {
  std::map<yamux::StreamId, std::vector<uint8_t>> rooms;
  PayloadRouter router{[this](yamux::StreamId id) {
    const auto it = rooms.find(id);
    return it == rooms.end() ? std::span<uint8_t>() : std::span<uint8_t>(it->second);
  }};

  std::vector<std::span<uint8_t>> route(std::vector<uint8_t>& body) {
    std::vector<std::span<uint8_t>> pieces;
    for (size_t at = 0; at < body.size();) {
      const std::span<uint8_t> out = router.route(std::span(body).subspan(at), at);
      EXPECT_FALSE(out.empty());
      std::copy_n(body.begin() + static_cast<ptrdiff_t>(at), out.size(), out.begin());
      router.routed(out);
      pieces.push_back(out);
      at += out.size();
    }
    return pieces;
  }
};

bool in(std::span<uint8_t> piece, std::span<uint8_t> area) {
  return piece.data() >= area.data() && piece.data() + piece.size() <= area.data() + area.size();
}

TEST(PayloadRouter, DecryptsAWaitingReadersPayloadIntoItsBufferFromABlockBoundary) {
  Harness h;
  h.rooms[3] = std::vector<uint8_t>(1000);
  auto body = data_frame(3, 700, 0xab);
  const auto pieces = h.route(body);
  ASSERT_EQ(pieces.size(), 2u);
  // The header and the rest of its 64-byte block in place ...
  EXPECT_EQ(pieces[0].data(), body.data());
  EXPECT_EQ(pieces[0].size(), 64u);
  // ... the payload after it where the reader's buffer will have reached:
  // behind the 52 payload bytes decrypted in place.
  EXPECT_EQ(pieces[1].data(), h.rooms[3].data() + 52);
  EXPECT_EQ(pieces[1].size(), 700u - 52);
  EXPECT_EQ(h.rooms[3][52], 0xab);
}

TEST(PayloadRouter, FillsTheRoomAcrossFramesThenDecryptsInPlace) {
  Harness h;
  h.rooms[3] = std::vector<uint8_t>(2000);
  auto first = data_frame(3, 1500, 1);
  auto second = data_frame(3, 1500, 2);
  auto third = data_frame(3, 100, 3);
  h.route(first);  // 52 in place, 1448 direct: 1500 routed
  const auto pieces = h.route(second);
  ASSERT_EQ(pieces.size(), 3u);
  EXPECT_EQ(pieces[0].size(), 64u);                               // header + 52 bytes in place
  EXPECT_EQ(pieces[1].data(), h.rooms[3].data() + 1552);          // 1500 + 52 routed before
  EXPECT_EQ(pieces[1].size(), 2000u - 1552);                      // up to the end of the room
  EXPECT_EQ(pieces[2].data(), second.data() + 12 + 52 + 448);     // the rest where it lies
  EXPECT_EQ(pieces[2].size(), 1500u - 52 - 448);
  for (const auto piece : h.route(third)) EXPECT_TRUE(in(piece, third));  // no room left
  h.router.delivered();  // the reader took its bytes and waits again with its whole buffer
  auto fourth = data_frame(3, 500, 4);
  const auto again = h.route(fourth);
  ASSERT_EQ(again.size(), 2u);
  EXPECT_EQ(again[1].data(), h.rooms[3].data() + 52);
}

TEST(PayloadRouter, KeepsOtherStreamsHeadersAndSmallFramesInPlace) {
  Harness h;
  h.rooms[5] = std::vector<uint8_t>(4096);
  std::vector<uint8_t> body = window_update(5);
  for (const auto& part : {data_frame(7, 300, 7), window_update(7), data_frame(5, 20, 5), data_frame(5, 400, 6)})
    body.insert(body.end(), part.begin(), part.end());
  const auto pieces = h.route(body);
  // Headers and stream 7's payload stay in place; stream 5's 20-byte payload
  // shares a block with headers (in place) and its 400 bytes go to the room
  // behind those 20 and the in-place rest of their block.
  std::vector<std::span<uint8_t>> direct;
  for (const auto piece : pieces) {
    if (in(piece, body)) continue;
    ASSERT_TRUE(in(piece, h.rooms[5]));
    direct.push_back(piece);
  }
  ASSERT_EQ(direct.size(), 1u);
  const size_t second_payload = 12 + 12 + 300 + 12 + 12 + 20 + 12;  // where stream 5's 400 bytes start
  const size_t in_place = (second_payload + 63) / 64 * 64 - second_payload;
  EXPECT_EQ(direct[0].data(), h.rooms[5].data() + 20 + in_place);
  EXPECT_EQ(direct[0].size(), 400 - in_place);
  EXPECT_EQ(direct[0][0], 6);
}

TEST(PayloadRouter, FollowsFramesSplitAcrossNoiseFramesAndSkippedBytes) {
  Harness h;
  h.rooms[9] = std::vector<uint8_t>(100000);
  auto frame = data_frame(9, 10000, 9);
  // The upgrade already decrypted the first 5 header bytes.
  h.router.skip(std::span(frame).first(5));
  std::vector<uint8_t> a(frame.begin() + 5, frame.begin() + 3000), b(frame.begin() + 3000, frame.end());
  const auto pieces_a = h.route(a);
  ASSERT_EQ(pieces_a.size(), 2u);
  EXPECT_EQ(pieces_a[0].size(), 64u);  // the header's last 7 bytes and 57 of payload
  EXPECT_EQ(pieces_a[1].data(), h.rooms[9].data() + 57);
  const auto pieces_b = h.route(b);  // a new Noise frame: the payload goes on, no header
  ASSERT_EQ(pieces_b.size(), 1u);
  EXPECT_EQ(pieces_b[0].data(), h.rooms[9].data() + 2988);
  EXPECT_EQ(pieces_b[0].size(), 7012u);
}

}  // namespace
}  // namespace prowl::swarm
