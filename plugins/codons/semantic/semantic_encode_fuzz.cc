// Fuzzes the semantic JSON reader: a packet that parses must survive the
// codon sequence and its canonical JSON unchanged.
#include <prowl/sdk.hpp>

#include <cstdlib>
#include <string_view>

#include "plugins/codons/semantic/codon_grammar.h"
#include "plugins/codons/semantic/packet_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace prowl::codons::semantic;
  Packet packet;
  try {
    packet = packet_from_json({reinterpret_cast<const char*>(data), size});
  } catch (const prowl::Error&) {
    return 0;
  }
  if (packet_from_codons(packet_to_codons(packet)) != packet) std::abort();
  const std::string canonical = packet_to_json(packet);
  if (packet_from_json(canonical) != packet) std::abort();
  if (packet_to_json(packet_from_json(canonical)) != canonical) std::abort();
  return 0;
}
