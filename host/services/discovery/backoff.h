// Reconnect delays, sans-IO: the first failure waits `base`, each further
// one twice the previous delay, capped at `max`; a success starts over.
#pragma once

#include <chrono>
#include <cstddef>

namespace prowl::discovery {

/// Exponential backoff state for one target. A value type; not thread-safe.
class Backoff {
 public:
  /// REQUIRES: base > 0 and base <= max.
  Backoff(std::chrono::milliseconds base, std::chrono::milliseconds max) : base_(base), max_(max) {}

  /// Records a failure; returns how long to wait before the next attempt.
  std::chrono::milliseconds failed();
  /// Records a success: the next failure waits `base` again.
  void succeeded() noexcept { failures_ = 0; }
  /// Failures since the last success.
  size_t failures() const noexcept { return failures_; }

 private:
  std::chrono::milliseconds base_;
  std::chrono::milliseconds max_;
  std::chrono::milliseconds delay_{0};
  size_t failures_ = 0;
};

}  // namespace prowl::discovery
