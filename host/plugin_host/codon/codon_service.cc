#include "host/plugin_host/codon/codon_service.h"

#include "host/plugin_host/loader/output_buffer.h"

namespace prowl::codon {

CodonService::CodonService(const plugins::Registry& registry, Limits limits)
    : registry_(registry), limits_(limits) {}

const plugins::Plugin& CodonService::encoder_plugin(std::string_view name) const {
  const plugins::Plugin* plugin = registry_.find(PROWL_KIND_CODON, name);
  if (plugin == nullptr) {
    std::string known;
    for (const plugins::Plugin* p : registry_.plugins(PROWL_KIND_CODON))
      known += (known.empty() ? "" : ", ") + p->name();
    throw CodonError("no codon encoder named '" + std::string(name) + "' is loaded (loaded: " +
                     (known.empty() ? std::string("none") : known) + ")");
  }
  return *plugin;
}

std::string CodonService::encode(std::string_view encoder, std::span<const uint8_t> in) const {
  const plugins::Plugin& plugin = encoder_plugin(encoder);
  plugins::OutputBuffer out(limits_.max_output);
  plugins::CallResult r = plugin.encode(in, out.writer());
  if (!r.ok()) throw CodonError("encode with '" + plugin.name() + "': " + r.message);
  return {reinterpret_cast<const char*>(out.data()), out.size()};
}

std::vector<uint8_t> CodonService::decode(std::string_view encoder, std::string_view codons) const {
  const plugins::Plugin& plugin = encoder_plugin(encoder);
  plugins::OutputBuffer out(limits_.max_output);
  plugins::CallResult r =
      plugin.decode({reinterpret_cast<const uint8_t*>(codons.data()), codons.size()}, out.writer());
  if (!r.ok()) throw CodonError("decode with '" + plugin.name() + "': " + r.message);
  return out.to_vector();
}

}  // namespace prowl::codon
