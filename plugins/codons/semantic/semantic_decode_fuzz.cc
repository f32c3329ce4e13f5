// Fuzzes the semantic codon grammar: a sequence that parses must be its own
// canonical form (whitespace aside), and its JSON must parse to the same packet.
#include <prowl/sdk.hpp>

#include <cstdlib>
#include <string>
#include <string_view>

#include "plugins/codons/common/nucleotide.h"
#include "plugins/codons/semantic/codon_grammar.h"
#include "plugins/codons/semantic/packet_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace prowl::codons::semantic;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Packet packet;
  try {
    packet = packet_from_codons(text);
  } catch (const prowl::Error&) {
    return 0;
  }
  std::string stripped;
  for (char c : text)
    if (prowl::codons::kNucleotideValue[static_cast<uint8_t>(c)] != prowl::codons::kWhitespace)
      stripped += c;
  if (packet_to_codons(packet) != stripped) std::abort();
  if (packet_from_json(packet_to_json(packet)) != packet) std::abort();
  return 0;
}
