// Fuzzes peer id multihash parsing: an accepted id keeps the input bytes,
// survives a trip through its text form, and any inlined key re-derives it.
#include <algorithm>
#include <cstdlib>
#include <span>

#include "host/base/identity/peer_id.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using prowl::identity::PeerId;
  std::span<const uint8_t> input(data, size);
  auto id = PeerId::from_bytes(input);
  if (!id) return 0;
  if (!std::ranges::equal(id->bytes(), input)) std::abort();
  if (PeerId::from_string(id->to_string()) != id) std::abort();
  if (auto key = id->public_key(); key && PeerId::from_public_key(*key) != *id) std::abort();
  return 0;
}
