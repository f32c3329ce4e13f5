// The nucleotide alphabet shared by the codon encoders: A, C, G and T carry
// two bits each (A=00, C=01, G=10, T=11), and ASCII whitespace may appear
// anywhere in a sequence that is being decoded.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace prowl::codons {

/// The nucleotides in the order of their 2-bit values.
inline constexpr std::string_view kNucleotides = "ACGT";

/// kNucleotideValue marks a whitespace byte with this bit.
inline constexpr uint8_t kWhitespace = 0x40;
/// kNucleotideValue marks a byte that is neither nucleotide nor whitespace with this bit.
inline constexpr uint8_t kNotNucleotide = 0x80;

/// For every byte: its 2-bit value if it is A, C, G or T; kWhitespace for
/// space, \t, \n, \v, \f and \r; kNotNucleotide for everything else.
inline constexpr std::array<uint8_t, 256> kNucleotideValue = [] {
  std::array<uint8_t, 256> table{};
  for (auto& v : table) v = kNotNucleotide;
  for (char c : std::string_view(" \t\n\v\f\r")) table[static_cast<uint8_t>(c)] = kWhitespace;
  for (size_t i = 0; i < kNucleotides.size(); ++i)
    table[static_cast<uint8_t>(kNucleotides[i])] = static_cast<uint8_t>(i);
  return table;
}();

/// Throws prowl::InvalidInput for byte `c`, found at byte offset `offset`,
/// that is neither a nucleotide nor whitespace; the message names both.
[[noreturn]] void throw_invalid_character(size_t offset, uint8_t c);

}  // namespace prowl::codons
