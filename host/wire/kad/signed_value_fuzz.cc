// Fuzzes SignedValue decoding and /prowl/ validation: an envelope that
// decodes must encode and decode again unchanged; validation must not crash.
#include <cstdlib>
#include <span>
#include <string>

#include "host/wire/kad/signed_value.h"
#include "host/wire/kad/signed_value_validator.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace prowl::kad;
  const std::span<const uint8_t> input(data, size);
  static const std::string kKey = "/prowl/12D3KooWA4Xop1JaT3MHxwYMkCepYsv4iPVopMXwCz5iHYdBfeSB/name";
  const std::span<const uint8_t> key(reinterpret_cast<const uint8_t*>(kKey.data()), kKey.size());
  std::string why;
  SignedValueValidator().validate(key, input, &why);
  auto value = SignedValue::decode(input);
  if (!value) return 0;
  auto again = SignedValue::decode(value->encode());
  if (!again || again->value() != value->value() || again->sequence() != value->sequence() ||
      again->signature() != value->signature() || !(again->publisher() == value->publisher())) {
    std::abort();
  }
  return 0;
}
