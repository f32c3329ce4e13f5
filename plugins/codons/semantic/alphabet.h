// The semantic codon alphabet: eighteen 3-nucleotide codons naming the when,
// where, how, why, what and order of an integration instruction in a
// genetic packet. The table is fixed by the protocol; see docs/codons.md.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace prowl::codons::semantic {

/// The categories, in their canonical order within an instruction.
enum class Category : uint8_t { kWhen, kWhere, kHow, kWhy, kWhat, kOrder };

inline constexpr size_t kCategoryCount = 6;
inline constexpr size_t kSymbolsPerCategory = 3;
inline constexpr size_t kCodonLength = 3;

/// How a category appears in an instruction.
struct CategoryRule {
  std::string_view key;   ///< JSON key (lower case)
  std::string_view name;  ///< upper-case name, the prefix of its codon names
  bool required;          ///< every instruction carries it
  bool multiple;          ///< it may carry several distinct values
};

/// The rules, indexed by Category.
inline constexpr std::array<CategoryRule, kCategoryCount> kCategories{{
    {"when", "WHEN", true, false},
    {"where", "WHERE", true, true},
    {"how", "HOW", true, false},
    {"why", "WHY", false, true},
    {"what", "WHAT", true, true},
    {"order", "ORDER", false, false},
}};

/// One codon of the alphabet: its symbol within its category and its nucleotides.
struct CodonEntry {
  std::string_view symbol;
  std::string_view codon;
};

/// The alphabet, grouped by category in canonical order, three per category.
/// A codon's index here is its CodonId.
inline constexpr std::array<CodonEntry, kCategoryCount * kSymbolsPerCategory> kCodons{{
    {"IMMEDIATE", "ATG"}, {"THRESHOLD", "TAC"}, {"PERIODIC", "GCA"},
    {"MEMORY", "CGT"},    {"PATTERN", "TGA"},   {"GENETIC", "ACG"},
    {"MERGE", "GTC"},     {"REPLACE", "CAT"},   {"APPEND", "AGC"},
    {"OPTIMIZE", "TCG"},  {"ADAPT", "GAT"},     {"LEARN", "CTA"},
    {"WEIGHTS", "GGA"},   {"STRUCTURE", "TTC"}, {"PARAMETERS", "AAG"},
    {"FIRST", "CCG"},     {"AFTER", "TTG"},     {"PARALLEL", "AAC"},
}};

/// An index into kCodons.
using CodonId = uint8_t;

/// The category codon `id` belongs to. REQUIRES: id < kCodons.size().
constexpr Category category_of(CodonId id) {
  return static_cast<Category>(id / kSymbolsPerCategory);
}

/// The rule of category c.
constexpr const CategoryRule& rule_of(Category c) { return kCategories[static_cast<size_t>(c)]; }

/// The codon whose nucleotide values (0..3 for A, C, G, T) are n0 n1 n2, or
/// nullopt when that codon is not in the alphabet. REQUIRES: each value < 4.
std::optional<CodonId> codon_from_nucleotides(uint8_t n0, uint8_t n1, uint8_t n2);

/// The codon of `symbol` (exact, upper case) in category c, or nullopt.
std::optional<CodonId> find_symbol(Category c, std::string_view symbol);

/// The full name of codon id, e.g. "WHERE_MEMORY (CGT)".
std::string describe_codon(CodonId id);

/// The symbols of category c, e.g. "MEMORY, PATTERN, GENETIC".
std::string list_symbols(Category c);

/// Category c with its codons, e.g. "WHERE (CGT=MEMORY TGA=PATTERN ACG=GENETIC)".
std::string describe_category(Category c);

}  // namespace prowl::codons::semantic
