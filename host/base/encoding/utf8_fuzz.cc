// Fuzzes UTF-8 validation: well-formed text stays well-formed when repeated.
#include <cstdlib>
#include <vector>

#include "host/base/encoding/utf8.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using prowl::encoding::valid_utf8;
  if (size > 4096) return 0;
  const std::span<const uint8_t> bytes(data, size);
  if (!valid_utf8(bytes)) return 0;
  std::vector<uint8_t> twice(bytes.begin(), bytes.end());
  twice.insert(twice.end(), bytes.begin(), bytes.end());
  if (!valid_utf8(twice)) std::abort();
  return 0;
}
