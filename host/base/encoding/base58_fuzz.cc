// Fuzzes base58 decoding: decoded bytes must encode back to the input text.
#include <cstdlib>
#include <string_view>

#include "host/base/encoding/base58.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace prowl::encoding;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto decoded = base58_decode(text);
  if (decoded && base58_encode(*decoded) != text) std::abort();
  return 0;
}
