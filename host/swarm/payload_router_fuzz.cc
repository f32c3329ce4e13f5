// Fuzzes PayloadRouter over arbitrary plaintext (Yamux frames or garbage).
// Byte 0 sets the room each odd stream's reader waits with (byte * 97
// bytes; even streams have no reader), byte 1 the size of the Noise frames
// the rest is cut into (1 + byte * 257). Checks: route() returns a non-empty
// piece that is either exactly the next bytes in place or lies inside the
// room of the stream whose payload comes, and the pieces cover each frame.
#include <algorithm>
#include <cstdlib>
#include <map>
#include <vector>

#include "host/swarm/payload_router.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const size_t room = size_t{data[0]} * 97;
  const size_t frame = 1 + size_t{data[1]} * 257;
  std::vector<uint8_t> plaintext(data + 2, data + size);
  std::map<prowl::yamux::StreamId, std::vector<uint8_t>> rooms;
  prowl::swarm::PayloadRouter router([&](prowl::yamux::StreamId id) {
    if (id % 2 == 0) return std::span<uint8_t>();
    auto& buffer = rooms[id];
    buffer.resize(room);
    return std::span<uint8_t>(buffer);
  });
  size_t frames = 0;
  for (size_t begin = 0; begin < plaintext.size(); begin += frame) {
    const std::span<uint8_t> body = std::span(plaintext).subspan(begin, std::min(frame, plaintext.size() - begin));
    for (size_t at = 0; at < body.size();) {
      const std::span<uint8_t> rest = body.subspan(at);
      const std::span<uint8_t> out = router.route(rest, at);
      if (out.empty() || out.size() > rest.size()) std::abort();
      bool inside_room = false;
      for (auto& [id, buffer] : rooms)
        inside_room = inside_room || (out.data() >= buffer.data() && out.data() + out.size() <= buffer.data() + buffer.size());
      if (out.data() != rest.data() && !inside_room) std::abort();
      std::copy_n(rest.begin(), out.size(), out.begin());
      router.routed(out);
      at += out.size();
    }
    if (++frames % 3 == 0) router.delivered();
  }
  return 0;
}
