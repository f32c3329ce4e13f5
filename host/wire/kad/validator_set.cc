#include "host/wire/kad/validator_set.h"

#include <stdexcept>

#include "host/wire/kad/public_key_validator.h"
#include "host/wire/kad/signed_value_validator.h"

namespace prowl::kad {

ValidatorSet ValidatorSet::with_defaults() {
  ValidatorSet set;
  set.add("pk", std::make_shared<PublicKeyValidator>());
  set.add("prowl", std::make_shared<SignedValueValidator>());
  return set;
}

void ValidatorSet::add(std::string ns, std::shared_ptr<const Validator> validator) {
  if (!validator) throw std::invalid_argument("validator set: null validator for '" + ns + "'");
  validators_[std::move(ns)] = std::move(validator);
}

const Validator* ValidatorSet::find(std::span<const uint8_t> key, std::string* error) const {
  const std::string_view text(reinterpret_cast<const char*>(key.data()), key.size());
  const size_t end = text.size() > 1 && text[0] == '/' ? text.find('/', 1) : std::string_view::npos;
  if (end == std::string_view::npos) {
    if (error) *error = "record key has no /<namespace>/ prefix";
    return nullptr;
  }
  const std::string_view ns = text.substr(1, end - 1);
  auto it = validators_.find(ns);
  if (it == validators_.end()) {
    if (error) *error = "no validator for record namespace '" + std::string(ns) + "'";
    return nullptr;
  }
  return it->second.get();
}

bool ValidatorSet::validate(std::span<const uint8_t> key, std::span<const uint8_t> value,
                            std::string* error) const {
  const Validator* validator = find(key, error);
  return validator != nullptr && validator->validate(key, value, error);
}

size_t ValidatorSet::select(std::span<const uint8_t> key,
                            const std::vector<std::vector<uint8_t>>& values) const {
  std::string error;
  const Validator* validator = find(key, &error);
  if (validator == nullptr) throw std::invalid_argument("validator set: " + error);
  return validator->select(key, values);
}

}  // namespace prowl::kad
