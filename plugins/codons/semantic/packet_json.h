// The JSON form of a semantic packet: one instruction object, or an array of
// them, e.g. {"when":"IMMEDIATE","where":["MEMORY","PATTERN"],"how":"MERGE",
// "what":"WEIGHTS"}. when, where, how and what are required; why and order
// are optional; where, why and what may carry an array of distinct values.
#pragma once

#include <string>
#include <string_view>

#include "plugins/codons/semantic/packet.h"

namespace prowl::codons::semantic {

/// Parses a packet from JSON text. Throws prowl::InvalidInput naming the JSON
/// error offset, or the JSON pointer of a bad member with the allowed keys or
/// values; prowl::LimitExceeded past kMaxInputBytes or kMaxInstructions.
Packet packet_from_json(std::string_view json);

/// The canonical JSON of packet p: compact, keys in category order, a single
/// value as a string and several as an array, a single instruction as an
/// object and several as an array.
/// REQUIRES: p is a valid packet, as packet_from_json or packet_from_codons make.
std::string packet_to_json(const Packet& p);

}  // namespace prowl::codons::semantic
