// codon256: every byte becomes one codon of four nucleotides, two bits per
// nucleotide, most significant pair first (A=00, C=01, G=10, T=11), so
// 0x1B encodes as ACGT. Lossless; see docs/codons.md.
#pragma once

#include <prowl/sdk.hpp>

#include <cstdint>
#include <span>

namespace prowl::codons {

/// The byte <-> 4-nucleotide codon encoder. Stateless, so thread-safe.
class Codon256Encoder : public CodonEncoder {
 public:
  /// Writes exactly 4 * in.size() characters from A, C, G, T to out.
  /// Throws LimitExceeded when out's limit is reached.
  void encode(std::span<const uint8_t> in, Output& out) override;

  /// Writes the bytes of a codon sequence to out, skipping ASCII whitespace
  /// anywhere in it. Throws InvalidInput naming the byte offset and the
  /// character of the first byte that is neither A, C, G, T nor whitespace,
  /// or the offset of an incomplete last codon; LimitExceeded when out is full.
  void decode(std::span<const uint8_t> in, Output& out) override;
};

}  // namespace prowl::codons
