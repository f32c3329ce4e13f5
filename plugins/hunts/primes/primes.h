// The primes hunt's work: counting primes in [lo, hi) with a segmented
// sieve of Eratosthenes. CPU-bound and deterministic; verified by
// redundancy (there is no cheap check of a count).
#pragma once

#include <cstdint>
#include <functional>

namespace prowl::hunts::primes {

/// The largest `hi` accepted: base primes up to its square root fit easily.
inline constexpr uint64_t kMaxHi = uint64_t{1} << 50;

/// Counts the primes p with lo <= p < hi. `stop` is polled between
/// segments; when it returns true the count stops early and nullopt-like 0
/// with *stopped set is returned. REQUIRES: lo <= hi <= kMaxHi.
uint64_t count_primes(uint64_t lo, uint64_t hi, const std::function<bool()>& stop, bool* stopped);

}  // namespace prowl::hunts::primes
