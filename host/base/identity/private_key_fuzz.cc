// Fuzzes PrivateKey protobuf decoding: an accepted key must encode back to
// exactly the input and sign verifiably.
#include <algorithm>
#include <cstdlib>
#include <span>

#include "host/base/identity/key_pair.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> input(data, size);
  auto pair = prowl::identity::KeyPair::from_private_protobuf(input);
  if (!pair) return 0;
  if (!std::ranges::equal(pair->private_to_protobuf(), input)) std::abort();
  if (!pair->public_key().verify(input, pair->sign(input))) std::abort();
  return 0;
}
