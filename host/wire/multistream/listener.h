// The responding side of multistream-select 1.0.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "host/wire/multistream/negotiation.h"

namespace prowl::multistream {

/// How many messages a dialer may send after the header without reaching
/// agreement before the listener gives up.
inline constexpr size_t kMaxProposals = 64;

/// Answers proposals: echoes the first supported one (agreement), answers
/// "na" to others and the id list to "ls". Fails after kMaxProposals
/// messages without agreement.
class Listener : public Negotiation {
 public:
  /// Tells whether a proposed id is supported. Called on the thread that
  /// calls on_bytes(); must not call back into the Listener.
  using Predicate = std::function<bool(std::string_view)>;

  /// Supports exactly `protocols`; "ls" lists them. Ids that
  /// check_protocol_id refuses are dropped.
  explicit Listener(std::vector<std::string> protocols);

  /// Supports what `supports` accepts; "ls" lists `listed` (ids that
  /// check_protocol_id refuses are dropped).
  /// REQUIRES: supports is callable.
  Listener(Predicate supports, std::vector<std::string> listed);

 private:
  void on_message(const std::string& message) override;

  Predicate supports_;
  std::vector<std::string> listed_;
  size_t proposals_ = 0;
};

}  // namespace prowl::multistream
