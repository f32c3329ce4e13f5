// The primes hunt as a prowl::ComputeHunt: counts the primes in [from, to).
// Params: from, to (required), task_size (numbers per task, default
// 2,000,000). Each task is "lo,hi"; its result is the count in decimal; the
// outcome is the total. CPU-bound; verified by redundancy. Shared by the
// shipped plugin and a test fixture that lies (it overrides count()).
#pragma once

#include <prowl/sdk.hpp>

#include <charconv>
#include <optional>
#include <string>
#include <utility>

#include "plugins/hunts/common/params.h"
#include "plugins/hunts/primes/primes.h"

namespace prowl::hunts::primes {

inline uint64_t require(std::optional<uint64_t> value, const std::string& error) {
  if (!value) throw prowl::InvalidInput(error);
  return *value;
}

// Parses "lo,hi" as plan() wrote it.
inline std::pair<uint64_t, uint64_t> range_of(std::span<const uint8_t> task) {
  const std::string_view text(reinterpret_cast<const char*>(task.data()), task.size());
  const size_t comma = text.find(',');
  uint64_t lo = 0, hi = 0;
  if (comma == std::string_view::npos ||
      std::from_chars(text.data(), text.data() + comma, lo).ec != std::errc() ||
      std::from_chars(text.data() + comma + 1, text.data() + text.size(), hi).ec != std::errc() || lo > hi ||
      hi > prowl::hunts::primes::kMaxHi)
    throw prowl::InvalidInput("primes: a task is \"lo,hi\" with lo <= hi");
  return {lo, hi};
}

class PrimesHunt : public prowl::ComputeHunt {
 public:
  static constexpr prowl_hunt_type kType = PROWL_HUNT_RESOURCE;
  explicit PrimesHunt(prowl::Host&) {}

  void plan(std::string_view params, prowl::Input&, prowl::TaskSink& tasks) override {
    std::string error;
    const auto p = prowl::hunts::Params::parse(params, &error);
    if (!p) throw prowl::InvalidInput("primes: " + error);
    const uint64_t max = prowl::hunts::primes::kMaxHi;
    const uint64_t from = require(p->number("from", std::nullopt, 0, max, &error), "primes: " + error);
    const uint64_t to = require(p->number("to", std::nullopt, 0, max, &error), "primes: " + error);
    const uint64_t size = require(p->number("task_size", 2'000'000, 1000, uint64_t{1} << 40, &error), "primes: " + error);
    if (from > to) throw prowl::InvalidInput("primes: param 'from' is above 'to'");
    for (uint64_t lo = from; lo < to; lo += std::min(size, to - lo)) {
      const uint64_t hi = lo + std::min(size, to - lo);
      tasks.emit(std::to_string(lo) + "," + std::to_string(hi));
    }
  }

  void run(std::string_view, std::span<const uint8_t> task, const prowl::TaskControl& control,
           prowl::Output& out) override {
    const auto [lo, hi] = range_of(task);
    out.append(std::to_string(count(lo, hi, control)));
  }

  void merge(std::string_view, const prowl::Results& results, prowl::Output& out) override {
    uint64_t total = 0;
    for (size_t i = 0; i < results.size(); ++i) {
      const auto r = results[i];
      uint64_t n = 0;
      if (std::from_chars(reinterpret_cast<const char*>(r.data()), reinterpret_cast<const char*>(r.data() + r.size()), n)
              .ec != std::errc())
        throw prowl::InvalidInput("primes: result " + std::to_string(i) + " is not a count");
      total += n;
    }
    out.append(std::to_string(total));
  }

 protected:
  /// The primes in [lo, hi). Throws when the task was stopped.
  virtual uint64_t count(uint64_t lo, uint64_t hi, const prowl::TaskControl& control) {
    bool stopped = false;
    const uint64_t n = count_primes(lo, hi, [&] { return control.should_stop(); }, &stopped);
    if (stopped) throw prowl::Error(PROWL_ERR_CLOSED, "primes: stopped");
    return n;
  }
};

}  // namespace prowl::hunts::primes
