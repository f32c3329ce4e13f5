#include "plugins/codons/semantic/alphabet.h"

#include "plugins/codons/common/nucleotide.h"

namespace prowl::codons::semantic {
namespace {

constexpr uint8_t kNoCodon = 0xff;
constexpr size_t kAllCodons = 4 * 4 * 4;

// Codon id by the 6-bit value of its nucleotides; built and checked at compile time.
constexpr std::array<uint8_t, kAllCodons> kIdByValue = [] {
  std::array<uint8_t, kAllCodons> table{};
  for (auto& v : table) v = kNoCodon;
  for (size_t id = 0; id < kCodons.size(); ++id) {
    const std::string_view codon = kCodons[id].codon;
    if (codon.size() != kCodonLength) throw "every codon has three nucleotides";
    size_t value = 0;
    for (char c : codon) {
      const uint8_t n = kNucleotideValue[static_cast<uint8_t>(c)];
      if (n > 3) throw "codons are spelled with A, C, G and T";
      value = value << 2 | n;
    }
    if (table[value] != kNoCodon) throw "codons are distinct";
    table[value] = static_cast<uint8_t>(id);
  }
  return table;
}();

}  // namespace

std::optional<CodonId> codon_from_nucleotides(uint8_t n0, uint8_t n1, uint8_t n2) {
  const uint8_t id = kIdByValue[static_cast<size_t>(n0 << 4 | n1 << 2 | n2)];
  if (id == kNoCodon) return std::nullopt;
  return id;
}

std::optional<CodonId> find_symbol(Category c, std::string_view symbol) {
  const size_t first = static_cast<size_t>(c) * kSymbolsPerCategory;
  for (size_t id = first; id < first + kSymbolsPerCategory; ++id)
    if (kCodons[id].symbol == symbol) return static_cast<CodonId>(id);
  return std::nullopt;
}

std::string describe_codon(CodonId id) {
  const CodonEntry& entry = kCodons[id];
  return std::string(rule_of(category_of(id)).name) + "_" + std::string(entry.symbol) + " (" +
         std::string(entry.codon) + ")";
}

std::string list_symbols(Category c) {
  std::string text;
  const size_t first = static_cast<size_t>(c) * kSymbolsPerCategory;
  for (size_t id = first; id < first + kSymbolsPerCategory; ++id) {
    if (!text.empty()) text += ", ";
    text += kCodons[id].symbol;
  }
  return text;
}

std::string describe_category(Category c) {
  std::string text = std::string(rule_of(c).name) + " (";
  const size_t first = static_cast<size_t>(c) * kSymbolsPerCategory;
  for (size_t id = first; id < first + kSymbolsPerCategory; ++id) {
    if (id != first) text += ' ';
    text += std::string(kCodons[id].codon) + "=" + std::string(kCodons[id].symbol);
  }
  return text + ")";
}

}  // namespace prowl::codons::semantic
