// Fuzzes the DNS message reader; whatever it accepts and the writer can
// express must read back identically.
#include <cstdint>
#include <cstdlib>
#include <span>

#include "host/wire/mdns/dns_message.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto message = prowl::mdns::decode_dns_message(std::span<const uint8_t>(data, size));
  if (!message) return 0;
  auto wire = prowl::mdns::encode_dns_message(*message);
  if (!wire) return 0;
  auto again = prowl::mdns::decode_dns_message(*wire);
  if (!again || *again != *message) std::abort();
  return 0;
}
