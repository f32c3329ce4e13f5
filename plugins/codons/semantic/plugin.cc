// The semantic plugin: SemanticEncoder behind the prowl C ABI.
#include <prowl/sdk.hpp>

#include "plugins/codons/semantic/semantic_encoder.h"

namespace {

/// The plugin instance; the host is not needed by a pure encoder.
class SemanticPlugin final : public prowl::codons::semantic::SemanticEncoder {
 public:
  explicit SemanticPlugin(prowl::Host&) {}
};

}  // namespace

PROWL_PLUGIN(SemanticPlugin, "semantic", "1.0.0",
             "Genetic-packet integration metadata (JSON) <-> the semantic codon alphabet");
