#include "host/wire/yamux/receive_window.h"

#include <algorithm>

namespace prowl::yamux {

ReceiveWindow::ReceiveWindow(uint32_t initial_credit, uint32_t window,
                             Clock::time_point now) noexcept
    : window_(window), credit_(initial_credit), last_update_(now) {}

bool ReceiveWindow::on_data(uint32_t n) noexcept {
  if (n > credit_) return false;
  credit_ -= n;
  unconsumed_ += n;
  return true;
}

void ReceiveWindow::consume(uint64_t n) noexcept {
  unconsumed_ -= static_cast<uint32_t>(std::min<uint64_t>(n, unconsumed_));
}

uint32_t ReceiveWindow::next_update(Clock::time_point now, std::optional<Clock::duration> rtt,
                                    uint32_t max_window, uint64_t growth_budget,
                                    bool force) noexcept {
  const uint32_t pending = window_ - credit_ - unconsumed_;
  if (!force) {
    if (pending < window_ / 2) return 0;
    if (rtt && now - last_update_ < 2 * *rtt) {
      const uint64_t grown = std::min<uint64_t>(
          {uint64_t{window_} * 2, uint64_t{std::max(max_window, window_)},
           window_ + std::min<uint64_t>(growth_budget, window_)});
      window_ = static_cast<uint32_t>(grown);
    }
  }
  last_update_ = now;
  const uint32_t delta = window_ - credit_ - unconsumed_;
  credit_ += delta;
  return delta;
}

}  // namespace prowl::yamux
