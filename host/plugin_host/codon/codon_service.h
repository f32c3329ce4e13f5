// Codon encoding through codon plugins.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "host/plugin_host/loader/registry.h"

namespace prowl::codon {

/// An encoding or decoding failure; what() is one line.
class CodonError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Bounds on what one call may produce.
struct Limits {
  size_t max_output = size_t{1} << 30;  ///< bytes of output per call
};

/// Encodes bytes to codon sequences (A, C, G, T) and back with a named
/// encoder plugin. Thread-safe (codon plugins are thread-safe by contract).
class CodonService {
 public:
  /// REQUIRES: registry outlives this service.
  explicit CodonService(const plugins::Registry& registry, Limits limits = {});

  /// Encodes `in` with encoder `encoder`. Throws CodonError.
  std::string encode(std::string_view encoder, std::span<const uint8_t> in) const;

  /// Decodes a codon sequence. Throws CodonError (the plugin's message names
  /// the position of an invalid codon).
  std::vector<uint8_t> decode(std::string_view encoder, std::string_view codons) const;

 private:
  const plugins::Plugin& encoder_plugin(std::string_view name) const;

  const plugins::Registry& registry_;
  Limits limits_;
};

}  // namespace prowl::codon
