// The set of message ids seen within the last `ttl` (the pubsub "seen cache").
#pragma once

#include <deque>
#include <unordered_set>
#include <utility>

#include "host/wire/pubsub/message_id.h"

namespace prowl::pubsub {

/// Remembers ids for a fixed time. Not thread-safe.
class SeenCache {
 public:
  /// REQUIRES: ttl > 0.
  explicit SeenCache(Clock::duration ttl) : ttl_(ttl) {}

  /// Records `id` at `now`; false when it was already present (the entry keeps its first time).
  bool add(const MessageId& id, Clock::time_point now);

  /// True when `id` was added within the ttl (after expire(now)).
  bool contains(const MessageId& id) const { return ids_.count(id) != 0; }

  /// Forgets ids added more than ttl before `now`.
  void expire(Clock::time_point now);

  /// Number of ids held.
  size_t size() const { return ids_.size(); }

 private:
  Clock::duration ttl_;
  std::unordered_set<MessageId> ids_;
  std::deque<std::pair<Clock::time_point, MessageId>> order_;  // oldest first
};

}  // namespace prowl::pubsub
