// The codon256 plugin: Codon256Encoder behind the prowl C ABI.
#include <prowl/sdk.hpp>

#include "plugins/codons/codon256/codon256_encoder.h"

namespace {

/// The plugin instance; the host is not needed by a pure encoder.
class Codon256Plugin final : public prowl::codons::Codon256Encoder {
 public:
  explicit Codon256Plugin(prowl::Host&) {}
};

}  // namespace

PROWL_PLUGIN(Codon256Plugin, "codon256", "1.0.0",
             "Lossless bytes <-> 4-nucleotide codons (A=00 C=01 G=10 T=11, high bits first)");
