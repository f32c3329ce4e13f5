// A genetic packet's integration metadata: one or more instructions, each
// holding values from the semantic alphabet per category.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "plugins/codons/semantic/alphabet.h"

namespace prowl::codons::semantic {

/// The most bytes of JSON or codon text the semantic encoder accepts.
inline constexpr size_t kMaxInputBytes = 1 << 20;
/// The most instructions one packet may hold.
inline constexpr size_t kMaxInstructions = 10000;

/// The distinct values one category carries in one instruction, in the order
/// given. Unused slots stay zero so that equality compares the values only.
struct Values {
  std::array<CodonId, kSymbolsPerCategory> ids{};
  uint8_t count = 0;

  /// Whether id is among the values.
  bool contains(CodonId id) const {
    for (size_t i = 0; i < count; ++i)
      if (ids[i] == id) return true;
    return false;
  }
  /// Appends id. REQUIRES: !contains(id), so count < kSymbolsPerCategory.
  void add(CodonId id) { ids[count++] = id; }

  bool operator==(const Values&) const = default;
};

/// One instruction: the values of each category, indexed by Category; an
/// absent optional category has none.
struct Instruction {
  std::array<Values, kCategoryCount> categories{};

  Values& operator[](Category c) { return categories[static_cast<size_t>(c)]; }
  const Values& operator[](Category c) const { return categories[static_cast<size_t>(c)]; }
  bool operator==(const Instruction&) const = default;
};

/// A packet: at least one and at most kMaxInstructions valid instructions.
using Packet = std::vector<Instruction>;

}  // namespace prowl::codons::semantic
