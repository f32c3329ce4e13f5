#include "plugins/codons/semantic/semantic_encoder.h"

#include <string_view>

#include "plugins/codons/semantic/codon_grammar.h"
#include "plugins/codons/semantic/packet_json.h"

namespace prowl::codons::semantic {
namespace {

std::string_view text_of(std::span<const uint8_t> in) {
  return {reinterpret_cast<const char*>(in.data()), in.size()};
}

}  // namespace

void SemanticEncoder::encode(std::span<const uint8_t> in, Output& out) {
  out.append(packet_to_codons(packet_from_json(text_of(in))));
}

void SemanticEncoder::decode(std::span<const uint8_t> in, Output& out) {
  out.append(packet_to_json(packet_from_codons(text_of(in))));
}

}  // namespace prowl::codons::semantic
