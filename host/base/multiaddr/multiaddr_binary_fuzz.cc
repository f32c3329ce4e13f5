// Fuzzes the binary form: whatever decodes must encode to the same bytes,
// and its text form must parse back to the same address.
#include <algorithm>
#include <cstdlib>

#include "host/base/multiaddr/multiaddr.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using prowl::multiaddr::Multiaddr;
  std::string error;
  const auto ma = Multiaddr::from_bytes({data, size}, &error);
  if (!ma) {
    if (error.empty()) std::abort();
    return 0;
  }
  const auto bytes = ma->bytes();
  if (bytes.size() != size || !std::equal(bytes.begin(), bytes.end(), data)) std::abort();
  const auto parsed = Multiaddr::parse(ma->to_string());
  if (!parsed || *parsed != *ma) std::abort();
  return 0;
}
