#include "host/wire/pubsub/seen_cache.h"

namespace prowl::pubsub {

bool SeenCache::add(const MessageId& id, Clock::time_point now) {
  if (!ids_.insert(id).second) return false;
  order_.emplace_back(now, id);
  return true;
}

void SeenCache::expire(Clock::time_point now) {
  while (!order_.empty() && order_.front().first + ttl_ <= now) {
    ids_.erase(order_.front().second);
    order_.pop_front();
  }
}

}  // namespace prowl::pubsub
