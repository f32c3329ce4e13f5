// Record validation and selection: which values may be stored under a key,
// and which of several valid values is the best (libp2p record Validator).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace prowl::kad {

/// Decides the values of one key namespace. Implementations are immutable,
/// so their methods may run on any thread.
class Validator {
 public:
  virtual ~Validator() = default;

  /// True when `value` may be stored under `key`; otherwise false and
  /// `error` (if given) says why.
  virtual bool validate(std::span<const uint8_t> key, std::span<const uint8_t> value,
                        std::string* error) const = 0;

  /// The index of the best of `values`, each of which validated under `key`;
  /// the first of equally good ones. REQUIRES: !values.empty().
  virtual size_t select(std::span<const uint8_t> key,
                        const std::vector<std::vector<uint8_t>>& values) const = 0;
};

}  // namespace prowl::kad
