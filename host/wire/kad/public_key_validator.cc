#include "host/wire/kad/public_key_validator.h"

#include <algorithm>
#include <string_view>

#include "host/base/identity/peer_id.h"
#include "host/base/identity/public_key.h"

namespace prowl::kad {
namespace {

constexpr std::string_view kPrefix = "/pk/";

}  // namespace

bool PublicKeyValidator::validate(std::span<const uint8_t> key, std::span<const uint8_t> value,
                                  std::string* error) const {
  if (key.size() <= kPrefix.size() || !std::equal(kPrefix.begin(), kPrefix.end(), key.begin())) {
    if (error) *error = "/pk/ record: key does not start with /pk/ followed by a peer id";
    return false;
  }
  std::string why;
  const auto public_key = identity::PublicKey::from_protobuf(value, &why);
  if (!public_key) {
    if (error) *error = "/pk/ record: value is not a public key: " + why;
    return false;
  }
  const identity::PeerId id = identity::PeerId::from_public_key(*public_key);
  if (!std::ranges::equal(id.bytes(), key.subspan(kPrefix.size()))) {
    if (error) *error = "/pk/ record: the key's peer id does not match the public key";
    return false;
  }
  return true;
}

size_t PublicKeyValidator::select(std::span<const uint8_t>,
                                  const std::vector<std::vector<uint8_t>>&) const {
  return 0;
}

}  // namespace prowl::kad
