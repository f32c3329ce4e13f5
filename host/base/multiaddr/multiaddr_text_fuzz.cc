// Fuzzes the text form: whatever parses must print to text that parses to
// the same address, and its binary form must decode to it too.
#include <cstdlib>
#include <string_view>

#include "host/base/multiaddr/multiaddr.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using prowl::multiaddr::Multiaddr;
  std::string error;
  const auto ma = Multiaddr::parse({reinterpret_cast<const char*>(data), size}, &error);
  if (!ma) {
    if (error.empty()) std::abort();
    return 0;
  }
  const auto again = Multiaddr::parse(ma->to_string());
  if (!again || *again != *ma) std::abort();
  const auto decoded = Multiaddr::from_bytes(ma->bytes());
  if (!decoded || *decoded != *ma) std::abort();
  return 0;
}
