#include "plugins/codecs/common/decode_fuzz.h"

#include <cstdlib>
#include <string>

namespace prowl::codecs {

int fuzz_decode(Codec& codec, std::string_view name, const uint8_t* data, size_t size) {
  if (size < kFuzzSizeBytes) return 0;
  size_t original = 0;
  for (size_t i = 0; i < kFuzzSizeBytes; ++i) original |= size_t{data[i]} << (8 * i);
  original &= kFuzzMaxOriginal;
  VectorWriter writer(original);
  Output out(writer.writer());
  try {
    codec.decompress({data + kFuzzSizeBytes, size - kFuzzSizeBytes}, original, out);
    if (writer.size() != original) std::abort();
  } catch (const Error& e) {
    const bool expected = e.status() == PROWL_ERR_INVALID_INPUT || e.status() == PROWL_ERR_LIMIT;
    const std::string prefix = std::string(name) + ": ";
    if (!expected || std::string_view(e.what()).substr(0, prefix.size()) != prefix) std::abort();
  }
  return 0;
}

}  // namespace prowl::codecs
