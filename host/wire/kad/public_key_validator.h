// The /pk/ namespace: the value under "/pk/<peer id multihash bytes>" is the
// libp2p PublicKey protobuf whose peer id is exactly that multihash.
#pragma once

#include "host/wire/kad/validator.h"

namespace prowl::kad {

/// Validates /pk/ records. Stateless; thread-safe.
class PublicKeyValidator : public Validator {
 public:
  bool validate(std::span<const uint8_t> key, std::span<const uint8_t> value,
                std::string* error) const override;

  /// All valid values of one key are the same key: the first.
  size_t select(std::span<const uint8_t> key,
                const std::vector<std::vector<uint8_t>>& values) const override;
};

}  // namespace prowl::kad
