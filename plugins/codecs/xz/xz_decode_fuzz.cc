// Fuzzes the xz decoder: arbitrary bytes and a claimed original size.
#include <cstddef>
#include <cstdint>

#include "plugins/codecs/common/decode_fuzz.h"
#include "plugins/codecs/xz/xz_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static prowl::codecs::XzCodec codec;
  return prowl::codecs::fuzz_decode(codec, prowl::codecs::XzCodec::kName, data, size);
}
