// Dispatches validation by key namespace: a key "/<ns>/..." goes to the
// validator registered for <ns>; keys of other namespaces are refused.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "host/wire/kad/validator.h"

namespace prowl::kad {

/// A Validator over namespaces. Configure it before sharing it; after that
/// its const methods may run on any thread.
class ValidatorSet : public Validator {
 public:
  /// The set prowl uses: "pk" (PublicKeyValidator) and "prowl" (SignedValueValidator).
  static ValidatorSet with_defaults();

  /// Routes keys of namespace `ns` (without slashes, e.g. "pk") to
  /// `validator`, replacing an earlier one. REQUIRES: validator != nullptr.
  void add(std::string ns, std::shared_ptr<const Validator> validator);

  /// Refuses keys without a registered namespace, naming the namespace.
  bool validate(std::span<const uint8_t> key, std::span<const uint8_t> value,
                std::string* error) const override;

  /// REQUIRES: the key's namespace is registered and !values.empty().
  size_t select(std::span<const uint8_t> key,
                const std::vector<std::vector<uint8_t>>& values) const override;

 private:
  // The validator of `key`'s namespace, or null (with `error` set).
  const Validator* find(std::span<const uint8_t> key, std::string* error) const;

  std::map<std::string, std::shared_ptr<const Validator>, std::less<>> validators_;
};

}  // namespace prowl::kad
