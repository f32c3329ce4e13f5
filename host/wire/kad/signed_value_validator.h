// The /prowl/ namespace: "/prowl/<base58 peer id>/<name>" holds a
// SignedValue published by that peer's key; the highest sequence wins.
#pragma once

#include "host/wire/kad/validator.h"

namespace prowl::kad {

/// Validates /prowl/ records. Stateless; thread-safe.
class SignedValueValidator : public Validator {
 public:
  /// Requires a well-formed key with a non-empty name, an envelope whose
  /// publisher is the key's peer id, and a valid signature.
  bool validate(std::span<const uint8_t> key, std::span<const uint8_t> value,
                std::string* error) const override;

  /// The value with the highest sequence number (the first on a tie).
  size_t select(std::span<const uint8_t> key,
                const std::vector<std::vector<uint8_t>>& values) const override;
};

}  // namespace prowl::kad
