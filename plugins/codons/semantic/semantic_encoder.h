// semantic: a genetic packet's integration metadata, given as JSON, to and
// from the semantic codon alphabet. See packet_json.h, codon_grammar.h and
// docs/codons.md.
#pragma once

#include <prowl/sdk.hpp>

#include <cstdint>
#include <span>

namespace prowl::codons::semantic {

/// The JSON <-> semantic codon encoder. Stateless, so thread-safe.
class SemanticEncoder : public CodonEncoder {
 public:
  /// Writes the canonical codon sequence of the JSON packet `in` to out.
  /// Throws InvalidInput for bad JSON (naming the offset or the member and
  /// what is allowed), LimitExceeded past the input limits or out's limit.
  void encode(std::span<const uint8_t> in, Output& out) override;

  /// Writes the canonical JSON of the codon sequence `in` to out. Throws
  /// InvalidInput naming the offset and what was expected, LimitExceeded past
  /// the input limits or out's limit.
  void decode(std::span<const uint8_t> in, Output& out) override;
};

}  // namespace prowl::codons::semantic
