// Fuzzes peer id text parsing: an accepted id must print as the input text.
#include <cstdlib>
#include <string_view>

#include "host/base/identity/peer_id.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto id = prowl::identity::PeerId::from_string(text);
  if (id && id->to_string() != text) std::abort();
  return 0;
}
