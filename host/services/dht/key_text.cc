#include "host/services/dht/key_text.h"

#include <algorithm>

#include "host/base/encoding/hex.h"
#include "host/base/identity/peer_id.h"
#include "host/wire/kad/constants.h"

namespace prowl::dht {
namespace {

constexpr std::string_view kPkPrefix = "/pk/";

bool has_pk_prefix(std::span<const uint8_t> key) {
  return key.size() > kPkPrefix.size() && std::equal(kPkPrefix.begin(), kPkPrefix.end(), key.begin());
}

}  // namespace

std::string key_text(std::span<const uint8_t> key) {
  if (has_pk_prefix(key)) {
    if (auto id = identity::PeerId::from_bytes(key.subspan(kPkPrefix.size()))) {
      return std::string(kPkPrefix) + id->to_string();
    }
  }
  const bool printable = !key.empty() && std::all_of(key.begin(), key.end(), [](uint8_t c) { return c >= 0x20 && c < 0x7f; });
  const bool looks_hex = key.size() >= 2 && key[0] == '0' && key[1] == 'x';
  if (printable && !looks_hex) return std::string(key.begin(), key.end());
  return "0x" + encoding::hex_encode(key);
}

std::optional<std::vector<uint8_t>> parse_key(std::string_view text, std::string* error) {
  auto fail = [&](std::string why) -> std::optional<std::vector<uint8_t>> {
    if (error) *error = std::move(why);
    return std::nullopt;
  };
  if (text.empty()) return fail("the key is empty");
  std::vector<uint8_t> key;
  if (text.starts_with(kPkPrefix)) {
    std::string why;
    auto id = identity::PeerId::from_string(text.substr(kPkPrefix.size()), &why);
    if (!id) return fail("key " + std::string(text) + ": bad peer id after /pk/: " + why);
    key.assign(kPkPrefix.begin(), kPkPrefix.end());
    key.insert(key.end(), id->bytes().begin(), id->bytes().end());
  } else if (text.starts_with("0x")) {
    auto decoded = encoding::hex_decode(text.substr(2));
    if (!decoded || decoded->empty()) return fail("key " + std::string(text) + ": bad hex after 0x");
    key = std::move(*decoded);
  } else {
    key.assign(text.begin(), text.end());
  }
  if (key.size() > kad::kMaxKeyBytes)
    return fail("the key has " + std::to_string(key.size()) + " bytes; the limit is " + std::to_string(kad::kMaxKeyBytes));
  return key;
}

}  // namespace prowl::dht
