// The codon grammar of a semantic packet. Each instruction is its categories
// in canonical order (when, where, how, why, what, order), each category its
// values in order:
//
//   packet      = instruction+
//   instruction = WHEN WHERE+ HOW WHY* WHAT+ ORDER?
//
// where a category's values are distinct. A WHEN codon after a complete
// instruction starts the next one. ASCII whitespace between nucleotides is
// skipped when parsing.
#pragma once

#include <string>
#include <string_view>

#include "plugins/codons/semantic/packet.h"

namespace prowl::codons::semantic {

/// The canonical codon sequence of packet p (no whitespace).
/// REQUIRES: p is a valid packet, as packet_from_json or packet_from_codons make.
std::string packet_to_codons(const Packet& p);

/// Parses a codon sequence. Throws prowl::InvalidInput naming the byte offset
/// and what was found and expected (a non-ACGT character, an incomplete or
/// unknown codon, a category out of order or repeated, a missing required
/// category); prowl::LimitExceeded past kMaxInputBytes or kMaxInstructions.
Packet packet_from_codons(std::string_view text);

}  // namespace prowl::codons::semantic
