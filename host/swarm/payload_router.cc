#include "host/swarm/payload_router.h"

#include <algorithm>

namespace prowl::swarm {
namespace {

// ChaCha20's block: pieces that start on its boundaries in a frame's body
// keep OpenSSL on its fast paths.
constexpr size_t kBlockBytes = 64;

}  // namespace

PayloadRouter::PayloadRouter(ReaderRoom reader_room) : reader_room_(std::move(reader_room)) {}

std::span<uint8_t> PayloadRouter::route(std::span<uint8_t> in_place, size_t offset) {
  const uint32_t payload_left = frames_.payload_left();
  if (payload_left == 0) {
    const size_t end = (offset + frames_.header_left() + kBlockBytes - 1) / kBlockBytes * kBlockBytes;
    return in_place.first(std::min(in_place.size(), end - offset));
  }
  const size_t n = std::min<size_t>(in_place.size(), payload_left);
  const yamux::StreamId id = frames_.header().stream_id;
  const auto it = std::find_if(streams_.begin(), streams_.end(), [id](const auto& s) { return s.first == id; });
  // Every payload byte routed before counts, including those decrypted in
  // place, so that these land where the delivery will have reached.
  const size_t before = it == streams_.end() ? 0 : it->second;
  const std::span<uint8_t> room = reader_room_(id);
  if (before >= room.size()) return in_place.first(n);
  return room.subspan(before, std::min(n, room.size() - before));
}

void PayloadRouter::routed(std::span<const uint8_t> plaintext) {
  while (!plaintext.empty()) {
    const yamux::FrameDecoder::Item item = frames_.next(plaintext);
    if (item.kind != yamux::FrameDecoder::Item::Kind::kPayload) continue;
    const yamux::StreamId id = item.header.stream_id;
    auto it = std::find_if(streams_.begin(), streams_.end(), [id](const auto& s) { return s.first == id; });
    if (it == streams_.end()) it = streams_.insert(streams_.end(), {id, 0});
    it->second += item.payload.size();
  }
}

}  // namespace prowl::swarm
