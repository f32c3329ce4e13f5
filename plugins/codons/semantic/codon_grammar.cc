#include "plugins/codons/semantic/codon_grammar.h"

#include <prowl/sdk.hpp>

#include <array>

#include "plugins/codons/common/nucleotide.h"

namespace prowl::codons::semantic {
namespace {

/// Where the parser is: the last category read in the current instruction.
class GrammarState {
 public:
  /// Whether a codon of category c may come next. `fresh` tells whether it
  /// then starts a new instruction.
  bool allows(Category c, bool* fresh) const {
    const size_t d = static_cast<size_t>(c);
    *fresh = false;
    if (started_ && d == last_) return kCategories[d].multiple;
    if (!started_ || d > last_) {
      // A later category, as long as no required one is skipped.
      for (size_t k = started_ ? last_ + 1 : 0; k < d; ++k)
        if (kCategories[k].required) return false;
      *fresh = !started_;
      return true;
    }
    // An earlier category: only WHEN, which starts the next instruction.
    *fresh = d == 0 && complete();
    return *fresh;
  }

  /// Records that a codon of category c was read.
  void advance(Category c) {
    started_ = true;
    last_ = static_cast<size_t>(c);
  }

  /// Whether the current instruction holds every required category.
  bool complete() const {
    if (!started_) return false;
    for (size_t k = last_ + 1; k < kCategoryCount; ++k)
      if (kCategories[k].required) return false;
    return true;
  }

  /// The categories that may come next, e.g. "WHERE (...) or HOW (...)".
  std::string expected() const {
    std::string text;
    bool fresh = false;
    auto add = [&](size_t k) {
      if (!text.empty()) text += " or ";
      text += describe_category(static_cast<Category>(k));
    };
    for (size_t k = 0; k < kCategoryCount; ++k)
      if (k != 0 && allows(static_cast<Category>(k), &fresh)) add(k);
    if (allows(Category::kWhen, &fresh)) {
      add(0);
      if (started_) text += " to start the next instruction";
    }
    if (complete()) text += " or the end";
    return text;
  }

 private:
  bool started_ = false;
  size_t last_ = 0;
};

[[noreturn]] void refuse(size_t offset, const std::string& found, const GrammarState& state) {
  throw InvalidInput("at offset " + std::to_string(offset) + ": " + found + "; expected " +
                     state.expected());
}

}  // namespace

std::string packet_to_codons(const Packet& p) {
  std::string text;
  text.reserve(p.size() * kCategoryCount * kCodonLength);
  for (const Instruction& instruction : p)
    for (const Values& values : instruction.categories)
      for (size_t i = 0; i < values.count; ++i) text += kCodons[values.ids[i]].codon;
  return text;
}

Packet packet_from_codons(std::string_view text) {
  if (text.size() > kMaxInputBytes)
    throw LimitExceeded("codon sequence of " + std::to_string(text.size()) +
                        " bytes is longer than the limit of " + std::to_string(kMaxInputBytes));
  Packet packet;
  GrammarState state;
  std::array<uint8_t, kCodonLength> nucleotides{};
  size_t have = 0;
  size_t start = 0;  // offset of the current codon's first nucleotide
  for (size_t i = 0; i < text.size(); ++i) {
    const uint8_t c = static_cast<uint8_t>(text[i]);
    const uint8_t v = kNucleotideValue[c];
    if (v == kWhitespace) continue;
    if (v == kNotNucleotide) throw_invalid_character(i, c);
    if (have == 0) start = i;
    nucleotides[have++] = v;
    if (have < kCodonLength) continue;
    have = 0;

    const auto id = codon_from_nucleotides(nucleotides[0], nucleotides[1], nucleotides[2]);
    if (!id) {
      std::string codon;
      for (uint8_t n : nucleotides) codon += kNucleotides[n];
      refuse(start, "unknown codon " + codon, state);
    }
    const Category category = category_of(*id);
    bool fresh = false;
    if (!state.allows(category, &fresh))
      refuse(start, describe_codon(*id) + " out of order", state);
    if (fresh) {
      if (packet.size() == kMaxInstructions)
        throw LimitExceeded("at offset " + std::to_string(start) + ": more than " +
                            std::to_string(kMaxInstructions) + " instructions");
      packet.emplace_back();
    }
    Values& values = packet.back()[category];
    if (values.contains(*id)) refuse(start, "duplicate " + describe_codon(*id), state);
    values.add(*id);
    state.advance(category);
  }
  if (have != 0)
    throw InvalidInput("at offset " + std::to_string(start) + ": incomplete codon of " +
                       std::to_string(have) + " nucleotides; a semantic codon has 3");
  if (!state.complete()) refuse(text.size(), "end of input", state);
  return packet;
}

}  // namespace prowl::codons::semantic
