// libFuzzer entry point: decode_howl on arbitrary bytes; an accepted howl
// must survive an encode/decode round trip unchanged.
#include <cstdint>
#include <cstdlib>
#include <span>

#include "host/services/howl/howl_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string error;
  const auto howl = prowl::howl::decode_howl(std::span(data, size), &error);
  if (!howl) {
    if (error.empty()) std::abort();  // every refusal says why
    return 0;
  }
  const auto again = prowl::howl::decode_howl(prowl::howl::encode_howl(*howl));
  if (!again || again->sender != howl->sender || again->pattern != howl->pattern || again->range != howl->range ||
      again->group != howl->group || again->frequency != howl->frequency || again->payload != howl->payload ||
      again->timestamp_ms != howl->timestamp_ms) {
    std::abort();
  }
  return 0;
}
