#include "host/protocols/stream_pair_harness.h"

#include <array>
#include <cstdint>
#include <string>
#include <tuple>

#include "host/identity/key_pair.h"
#include "host/identity/peer_id.h"
#include "host/protocols/memory_stream_pair.h"

namespace prowl::protocols::testing {
namespace {

// The peer whose Ed25519 seed is 32 copies of `seed_byte`.
identity::PeerId fixed_peer(uint8_t seed_byte) {
  std::array<uint8_t, 32> seed{};
  seed.fill(seed_byte);
  return identity::PeerId::from_public_key(identity::KeyPair::from_seed(seed).public_key());
}

}  // namespace

StreamPairHarness::StreamPairHarness(std::string_view protocol) {
  std::tie(client, server) =
      memory_stream_pair(io.get_executor(), std::string(protocol), fixed_peer(1), fixed_peer(2));
}

}  // namespace prowl::protocols::testing
