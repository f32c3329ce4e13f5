// The hashcash hunt's work: find a nonce whose BLAKE2b-256 hash of
// (data || nonce as 8 little-endian bytes) starts with `bits` zero bits.
// A found nonce is checked with one hash, so one replica suffices.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string_view>

namespace prowl::hunts::hashcash {

inline constexpr uint32_t kMaxBits = 64;

/// Leading zero bits of BLAKE2b-256(data || le64(nonce)).
uint32_t leading_zero_bits(std::span<const uint8_t> data, uint64_t nonce);

/// The first nonce in [from, to) with at least `bits` leading zero bits, or
/// nullopt (also when `stop` returned true; then *stopped is set).
std::optional<uint64_t> search(std::span<const uint8_t> data, uint32_t bits, uint64_t from, uint64_t to,
                               const std::function<bool()>& stop, bool* stopped);

}  // namespace prowl::hunts::hashcash
