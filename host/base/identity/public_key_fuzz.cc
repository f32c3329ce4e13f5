// Fuzzes PublicKey protobuf decoding: an accepted key must encode back to
// exactly the input (the spec's deterministic encoding).
#include <algorithm>
#include <cstdlib>
#include <span>

#include "host/base/identity/public_key.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> input(data, size);
  auto key = prowl::identity::PublicKey::from_protobuf(input);
  if (key && !std::ranges::equal(key->to_protobuf(), input)) std::abort();
  return 0;
}
