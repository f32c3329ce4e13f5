// Test support: the random connected graph the many-host pubsub tests and
// benchmarks wire their hosts into.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>

namespace prowl::test_support {

/// Calls `connect(a, b)` once per edge of a graph over `hosts` nodes: a ring
/// (so the graph is connected) plus `degree` random edges from every node,
/// chosen by `seed` (the same seed gives the same calls). Never calls it
/// with a == b or twice for one pair in either order.
void connect_random(size_t hosts, size_t degree, uint64_t seed, const std::function<void(size_t, size_t)>& connect);

}  // namespace prowl::test_support
