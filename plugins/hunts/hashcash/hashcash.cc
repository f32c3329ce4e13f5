#include "plugins/hunts/hashcash/hashcash.h"

#include <sodium.h>

#include <array>
#include <bit>
#include <vector>

namespace prowl::hunts::hashcash {
namespace {

uint32_t zero_bits(const std::array<uint8_t, 32>& hash) {
  uint32_t bits = 0;
  for (uint8_t byte : hash) {
    if (byte != 0) return bits + static_cast<uint32_t>(std::countl_zero(byte));
    bits += 8;
  }
  return bits;
}

}  // namespace

uint32_t leading_zero_bits(std::span<const uint8_t> data, uint64_t nonce) {
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, 32);
  crypto_generichash_update(&state, data.data(), data.size());
  std::array<uint8_t, 8> le;
  for (size_t i = 0; i < 8; ++i) le[i] = static_cast<uint8_t>(nonce >> (8 * i));
  crypto_generichash_update(&state, le.data(), le.size());
  std::array<uint8_t, 32> hash;
  crypto_generichash_final(&state, hash.data(), hash.size());
  return zero_bits(hash);
}

std::optional<uint64_t> search(std::span<const uint8_t> data, uint32_t bits, uint64_t from, uint64_t to,
                               const std::function<bool()>& stop, bool* stopped) {
  *stopped = false;
  // Hash the data once; each nonce continues from a copy of that state.
  crypto_generichash_state prefix;
  crypto_generichash_init(&prefix, nullptr, 0, 32);
  crypto_generichash_update(&prefix, data.data(), data.size());
  std::array<uint8_t, 32> hash;
  for (uint64_t nonce = from; nonce < to; ++nonce) {
    if ((nonce & 0xffff) == 0 && stop && stop()) {
      *stopped = true;
      return std::nullopt;
    }
    crypto_generichash_state state = prefix;
    std::array<uint8_t, 8> le;
    for (size_t i = 0; i < 8; ++i) le[i] = static_cast<uint8_t>(nonce >> (8 * i));
    crypto_generichash_update(&state, le.data(), le.size());
    crypto_generichash_final(&state, hash.data(), hash.size());
    if (zero_bits(hash) >= bits) return nonce;
  }
  return std::nullopt;
}

}  // namespace prowl::hunts::hashcash
