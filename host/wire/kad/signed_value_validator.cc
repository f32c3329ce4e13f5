#include "host/wire/kad/signed_value_validator.h"

#include <optional>
#include <string_view>

#include "host/base/identity/peer_id.h"
#include "host/wire/kad/signed_value.h"

namespace prowl::kad {
namespace {

constexpr std::string_view kPrefix = "/prowl/";

bool fail(std::string* error, const std::string& why) {
  if (error) *error = "/prowl/ record: " + why;
  return false;
}

}  // namespace

bool SignedValueValidator::validate(std::span<const uint8_t> key, std::span<const uint8_t> value,
                                    std::string* error) const {
  const std::string_view text(reinterpret_cast<const char*>(key.data()), key.size());
  if (!text.starts_with(kPrefix)) return fail(error, "key does not start with /prowl/");
  const std::string_view rest = text.substr(kPrefix.size());
  const size_t slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == rest.size()) {
    return fail(error, "key is not /prowl/<peer id>/<name>");
  }
  std::string why;
  const auto signed_value = SignedValue::decode(value, &why);
  if (!signed_value) return fail(error, why);
  const auto publisher = identity::PeerId::from_public_key(signed_value->publisher());
  if (publisher.to_string() != rest.substr(0, slash)) {
    return fail(error, "publisher " + publisher.to_string() + " does not own the key");
  }
  if (!signed_value->verify(key)) return fail(error, "signature does not verify");
  return true;
}

size_t SignedValueValidator::select(std::span<const uint8_t>,
                                    const std::vector<std::vector<uint8_t>>& values) const {
  size_t best = 0;
  std::optional<uint64_t> best_sequence;
  for (size_t i = 0; i < values.size(); ++i) {
    const auto signed_value = SignedValue::decode(values[i]);
    if (!signed_value) continue;
    if (!best_sequence || signed_value->sequence() > *best_sequence) {
      best = i;
      best_sequence = signed_value->sequence();
    }
  }
  return best;
}

}  // namespace prowl::kad
