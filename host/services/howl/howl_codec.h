// Howls: short signals between prowl nodes, carried as gossipsub messages.
//
// Topic mapping (one gossipsub topic per range, group and pattern):
//   global range:    /prowl/howl/1/global/<pattern>
//   pack range:      /prowl/howl/1/pack/<pack id>/<pattern>
//   territory range: /prowl/howl/1/territory/<territory id>/<pattern>
// with <pattern> one of gathering, hunting, warning, territory, social, and
// group ids of 1..64 characters from [A-Za-z0-9._-] (so topics never clash).
//
// The message data is the Howl protobuf of howl.proto. Its frequency is an
// urgency in 0..1000, "Hz-like": 0 is ambient chatter, 1000 the most urgent
// call; receivers may order or filter by it, the network does not. Its
// timestamp is the sender's wall clock (milliseconds since the Unix epoch).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "host/base/identity/peer_id.h"

namespace prowl::howl {

/// What a howl means.
enum class Pattern : uint8_t { kGathering = 1, kHunting, kWarning, kTerritory, kSocial };
/// How far a howl carries.
enum class Range : uint8_t { kPack = 1, kTerritory, kGlobal };

/// Every pattern, in enum order.
inline constexpr Pattern kPatterns[] = {Pattern::kGathering, Pattern::kHunting, Pattern::kWarning,
                                        Pattern::kTerritory, Pattern::kSocial};
/// Every range, in enum order.
inline constexpr Range kRanges[] = {Range::kPack, Range::kTerritory, Range::kGlobal};

inline constexpr uint32_t kMaxFrequency = 1000;         ///< the most urgent howl
inline constexpr size_t kMaxPayloadBytes = 64 * 1024;   ///< payload of one howl
inline constexpr size_t kMaxGroupBytes = 64;            ///< a pack or territory id
inline constexpr size_t kMaxHowlBytes = kMaxPayloadBytes + 512;  ///< one encoded howl

/// One howl.
struct Howl {
  identity::PeerId sender;
  Pattern pattern = Pattern::kSocial;
  Range range = Range::kGlobal;
  std::string group;        ///< pack or territory id; empty for Range::kGlobal
  uint32_t frequency = 0;   ///< 0..kMaxFrequency
  std::vector<uint8_t> payload;
  uint64_t timestamp_ms = 0;
};

/// Lower-case name of a pattern ("gathering", ...) or range ("pack", ...).
std::string_view pattern_name(Pattern pattern) noexcept;
std::string_view range_name(Range range) noexcept;

/// The pattern or range a name denotes; nullopt for any other text.
std::optional<Pattern> parse_pattern(std::string_view name) noexcept;
std::optional<Range> parse_range(std::string_view name) noexcept;

/// Whether `group` is a valid id for `range` (empty exactly for kGlobal);
/// says why not in `error` if given.
bool valid_group(Range range, std::string_view group, std::string* error = nullptr);

/// The gossipsub topic of `range`, `group` and `pattern` (mapping above).
/// REQUIRES: valid_group(range, group).
std::string howl_topic(Range range, std::string_view group, Pattern pattern);

/// Encodes a howl. REQUIRES: the fields respect the bounds above.
std::vector<uint8_t> encode_howl(const Howl& howl);

/// Decodes a howl, checking every bound. Returns nullopt, and says which
/// field was wrong in `error` if given, on malformed input.
std::optional<Howl> decode_howl(std::span<const uint8_t> bytes, std::string* error = nullptr);

}  // namespace prowl::howl
