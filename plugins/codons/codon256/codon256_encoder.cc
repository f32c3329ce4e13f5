#include "plugins/codons/codon256/codon256_encoder.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <string>

#include "plugins/codons/common/nucleotide.h"

namespace prowl::codons {
namespace {

// Input bytes encoded, or decoded bytes staged, per step.
constexpr size_t kChunk = 16 * 1024;
constexpr size_t kCodonLength = 4;

constexpr std::array<std::array<char, kCodonLength>, 256> kCodonOf = [] {
  std::array<std::array<char, kCodonLength>, 256> table{};
  for (size_t byte = 0; byte < 256; ++byte)
    for (size_t k = 0; k < kCodonLength; ++k)
      table[byte][k] = kNucleotides[(byte >> (6 - 2 * k)) & 3];
  return table;
}();

}  // namespace

void Codon256Encoder::encode(std::span<const uint8_t> in, Output& out) {
  // Codons go straight into the writer's room, a chunk at a time.
  size_t i = 0;
  while (i < in.size()) {
    const size_t want = std::min(in.size() - i, kChunk);
    const std::span<uint8_t> room = out.reserve(want * kCodonLength);
    const size_t n = std::min(room.size() / kCodonLength, in.size() - i);
    uint8_t* dst = room.data();
    for (size_t k = 0; k < n; ++k, dst += kCodonLength)
      std::memcpy(dst, kCodonOf[in[i + k]].data(), kCodonLength);
    out.commit(n * kCodonLength);
    i += n;
  }
}

void Codon256Encoder::decode(std::span<const uint8_t> in, Output& out) {
  constexpr uint8_t kNotValue = kWhitespace | kNotNucleotide;
  std::array<uint8_t, kChunk> buf;
  size_t used = 0;
  const uint8_t* p = in.data();
  const size_t n = in.size();
  auto put = [&](uint8_t byte) {
    buf[used++] = byte;
    if (used == buf.size()) {
      out.append(buf.data(), used);
      used = 0;
    }
  };
  unsigned acc = 0;    // bits of the codon being assembled
  unsigned have = 0;   // nucleotides in acc
  size_t start = 0;    // offset of acc's first nucleotide
  size_t i = 0;
  while (i < n) {
    if (have == 0 && n - i >= kCodonLength) {
      // Fast path: four nucleotides in a row.
      const uint8_t a = kNucleotideValue[p[i]], b = kNucleotideValue[p[i + 1]],
                    c = kNucleotideValue[p[i + 2]], d = kNucleotideValue[p[i + 3]];
      if (((a | b | c | d) & kNotValue) == 0) {
        put(static_cast<uint8_t>(a << 6 | b << 4 | c << 2 | d));
        i += kCodonLength;
        continue;
      }
    }
    const uint8_t v = kNucleotideValue[p[i]];
    if (v == kNotNucleotide) throw_invalid_character(i, p[i]);
    if (v != kWhitespace) {
      if (have == 0) start = i;
      acc = acc << 2 | v;
      if (++have == kCodonLength) {
        put(static_cast<uint8_t>(acc));
        acc = 0;
        have = 0;
      }
    }
    ++i;
  }
  if (have != 0)
    throw InvalidInput("incomplete codon at offset " + std::to_string(start) + ": " +
                       std::to_string(have) + " of 4 nucleotides (a codon256 sequence holds " +
                       "4 nucleotides per byte)");
  out.append(buf.data(), used);
}

}  // namespace prowl::codons
