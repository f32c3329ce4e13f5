#include "host/services/discovery/backoff.h"

#include <algorithm>

namespace prowl::discovery {

std::chrono::milliseconds Backoff::failed() {
  delay_ = failures_ == 0 ? base_ : std::min(delay_ * 2, max_);
  ++failures_;
  return delay_;
}

}  // namespace prowl::discovery
