// Deterministic payloads for the codec tests and benchmarks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace prowl::codecs {

/// n bytes from a seeded 64-bit Mersenne Twister: incompressible.
std::vector<uint8_t> random_bytes(size_t n, uint64_t seed);

/// n bytes of near-identical JSON lines differing in a counter: highly
/// compressible (every codec here shrinks it more than fourfold).
std::vector<uint8_t> repetitive_text(size_t n);

/// n bytes of a realistic mixed payload: JSON event records with random peer
/// ids, hex digests, numbers and prose-like words, plus a binary blob every
/// 64 records. zstd's default shrinks it about threefold.
std::vector<uint8_t> mixed_payload(size_t n, uint64_t seed);

}  // namespace prowl::codecs
