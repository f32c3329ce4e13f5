// Receive-side flow control of one Yamux stream, with window auto-tuning in
// the manner of go-yamux and rust-yamux: a window update is due once half
// the window has been consumed, and the window doubles (up to a maximum)
// when the previous update went out less than two round trips ago, i.e. when
// the sender would otherwise stall waiting for credit.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

namespace prowl::yamux {

class ReceiveWindow {
 public:
  using Clock = std::chrono::steady_clock;

  /// A stream whose peer starts with `initial_credit` bytes of credit (the
  /// spec's 256 KiB) and whose target window is `window`.
  /// REQUIRES: initial_credit <= window.
  ReceiveWindow(uint32_t initial_credit, uint32_t window, Clock::time_point now) noexcept;

  /// Accounts for `n` received payload bytes. Returns false, changing
  /// nothing, when they exceed the credit the peer was given.
  bool on_data(uint32_t n) noexcept;

  /// The application took `n` bytes (clamped to what is unconsumed).
  void consume(uint64_t n) noexcept;

  /// The window-update delta to send now, or 0 when none is due. A normal
  /// update is due when at least half the window may be granted; `force`
  /// (used with SYN/ACK) grants whatever is pending without auto-tuning.
  /// The window grows by at most `growth_budget` bytes and never past `max_window`.
  uint32_t next_update(Clock::time_point now, std::optional<Clock::duration> rtt,
                       uint32_t max_window, uint64_t growth_budget, bool force) noexcept;

  /// Current target window size.
  uint32_t window() const noexcept { return window_; }
  /// Bytes the peer may still send.
  uint32_t credit() const noexcept { return credit_; }
  /// Bytes received and not yet consumed.
  uint32_t unconsumed() const noexcept { return unconsumed_; }

 private:
  // Invariant: credit_ + unconsumed_ <= window_.
  uint32_t window_;
  uint32_t credit_;
  uint32_t unconsumed_ = 0;
  Clock::time_point last_update_;
};

}  // namespace prowl::yamux
