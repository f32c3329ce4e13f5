// Fuzzes kad message decoding: whatever decodes must re-encode to bytes that
// decode to the same message, within the same limits.
#include <cstdlib>
#include <span>

#include "host/wire/kad/message.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace prowl::kad;
  auto decoded = decode_message(std::span<const uint8_t>(data, size));
  if (!decoded) return 0;
  const auto again = decode_message(encode_message(decoded->message));
  if (!again || !(again->message == decoded->message) || !again->skipped.empty()) std::abort();
  return 0;
}
