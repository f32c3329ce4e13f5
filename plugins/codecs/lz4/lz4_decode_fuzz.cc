// Fuzzes the lz4 decoder: arbitrary bytes and a claimed original size.
#include <cstddef>
#include <cstdint>

#include "plugins/codecs/common/decode_fuzz.h"
#include "plugins/codecs/lz4/lz4_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static prowl::codecs::Lz4Codec codec;
  return prowl::codecs::fuzz_decode(codec, prowl::codecs::Lz4Codec::kName, data, size);
}
