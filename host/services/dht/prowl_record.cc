#include "host/services/dht/prowl_record.h"

#include <algorithm>
#include <chrono>
#include <string>

namespace prowl::dht {
namespace {

bool has_prefix(std::span<const uint8_t> key, std::string_view prefix) noexcept {
  return key.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), key.begin());
}

}  // namespace

bool is_prowl_key(std::span<const uint8_t> key) noexcept { return has_prefix(key, kProwlPrefix); }

Status check_own_prowl_key(std::span<const uint8_t> key, const identity::PeerId& local) {
  if (!is_prowl_key(key)) return Status::Ok();
  const std::string own = std::string(kProwlPrefix) + local.to_string() + "/";
  if (key.size() <= own.size() || !has_prefix(key, own))
    return Status::InvalidInput("a /prowl/ key must be " + own + "<name>: only this node's records are signed here");
  return Status::Ok();
}

std::vector<uint8_t> stored_value(const identity::KeyPair& key_pair, std::span<const uint8_t> key,
                                  std::vector<uint8_t> value) {
  if (!is_prowl_key(key)) return value;
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  return kad::SignedValue::sign(key_pair, key, std::move(value), static_cast<uint64_t>(ms.count())).encode();
}

std::optional<kad::SignedValue> open_prowl_value(std::span<const uint8_t> key, std::span<const uint8_t> stored) {
  if (!is_prowl_key(key)) return std::nullopt;
  auto envelope = kad::SignedValue::decode(stored);
  if (!envelope || !envelope->verify(key)) return std::nullopt;
  return envelope;
}

}  // namespace prowl::dht
