#include "host/testing/random_graph.h"

#include <algorithm>
#include <random>
#include <set>
#include <utility>

namespace prowl::test_support {

void connect_random(size_t hosts, size_t degree, uint64_t seed, const std::function<void(size_t, size_t)>& connect) {
  if (hosts == 0) return;
  std::mt19937_64 rng(seed);
  std::set<std::pair<size_t, size_t>> edges;
  auto add = [&](size_t a, size_t b) {
    if (a == b) return;
    if (edges.emplace(std::min(a, b), std::max(a, b)).second) connect(a, b);
  };
  for (size_t i = 0; i < hosts; ++i) add(i, (i + 1) % hosts);
  std::uniform_int_distribution<size_t> pick(0, hosts - 1);
  for (size_t i = 0; i < hosts; ++i) {
    for (size_t k = 0; k < degree; ++k) add(i, pick(rng));
  }
}

}  // namespace prowl::test_support
