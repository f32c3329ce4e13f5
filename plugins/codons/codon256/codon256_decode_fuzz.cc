// Fuzzes codon256 decoding: whatever decodes must encode back to the input
// with its whitespace removed.
#include <cstdlib>
#include <string>

#include "plugins/codons/codon256/codon256_encoder.h"
#include "plugins/codons/common/nucleotide.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  prowl::codons::Codon256Encoder encoder;
  prowl::VectorWriter decoded(size / 4);
  try {
    prowl::Output out(decoded.writer());
    encoder.decode({data, size}, out);
  } catch (const prowl::InvalidInput&) {
    return 0;
  }
  const std::vector<uint8_t> bytes = decoded.take();
  prowl::VectorWriter encoded(bytes.size() * 4);
  prowl::Output out(encoded.writer());
  encoder.encode(bytes, out);
  std::string stripped;
  for (size_t i = 0; i < size; ++i)
    if (prowl::codons::kNucleotideValue[data[i]] != prowl::codons::kWhitespace)
      stripped += static_cast<char>(data[i]);
  const std::vector<uint8_t> text = encoded.take();
  if (std::string(text.begin(), text.end()) != stripped) std::abort();
  return 0;
}
