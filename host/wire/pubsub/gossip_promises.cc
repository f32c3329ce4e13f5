#include "host/wire/pubsub/gossip_promises.h"

namespace prowl::pubsub {

void GossipPromises::add(const identity::PeerId& peer, const MessageId& id,
                         Clock::time_point deadline) {
  promises_[id].try_emplace(peer, deadline);
}

void GossipPromises::fulfil(const MessageId& id) { promises_.erase(id); }

std::map<identity::PeerId, size_t> GossipPromises::take_broken(Clock::time_point now) {
  std::map<identity::PeerId, size_t> broken;
  for (auto it = promises_.begin(); it != promises_.end();) {
    std::erase_if(it->second, [&](const auto& entry) {
      if (entry.second > now) return false;
      ++broken[entry.first];
      return true;
    });
    it = it->second.empty() ? promises_.erase(it) : std::next(it);
  }
  return broken;
}

size_t GossipPromises::size() const {
  size_t n = 0;
  for (const auto& [id, peers] : promises_) n += peers.size();
  return n;
}

}  // namespace prowl::pubsub
