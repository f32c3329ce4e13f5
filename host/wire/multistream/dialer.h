// The initiating side of multistream-select 1.0.
#pragma once

#include <string>
#include <vector>

#include "host/wire/multistream/negotiation.h"

namespace prowl::multistream {

/// Proposes protocols in order of preference until the listener echoes one.
/// The header and the first proposal are queued together at construction,
/// so take_output() then yields them as one write. Fails with
/// "no protocol in common: [...]" when the listener refuses them all.
class Dialer : public Negotiation {
 public:
  /// `protocols` in order of preference. An empty list or an id that
  /// check_protocol_id refuses fails the dialer at once.
  explicit Dialer(std::vector<std::string> protocols);

 private:
  void on_message(const std::string& message) override;

  std::vector<std::string> protocols_;
  size_t current_ = 0;  ///< index of the outstanding proposal
};

}  // namespace prowl::multistream
