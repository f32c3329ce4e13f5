#include "host/wire/pubsub/message_cache.h"

namespace prowl::pubsub {

MessageCache::MessageCache(size_t history_length, size_t gossip_length)
    : history_length_(history_length), gossip_length_(gossip_length), windows_(1) {}

void MessageCache::put(const MessageId& id, const pb::Message& message) {
  if (!entries_.try_emplace(id, Entry{message, {}}).second) return;
  windows_.front().push_back({id, message.topic()});
}

const pb::Message* MessageCache::get(const MessageId& id) const {
  auto it = entries_.find(id);
  return it == entries_.end() ? nullptr : &it->second.message;
}

const pb::Message* MessageCache::get_for_peer(const MessageId& id, const identity::PeerId& peer,
                                              size_t max_transmissions) {
  auto it = entries_.find(id);
  if (it == entries_.end()) return nullptr;
  size_t& count = it->second.transmissions[peer];
  if (count >= max_transmissions) return nullptr;
  ++count;
  return &it->second.message;
}

std::vector<MessageId> MessageCache::gossip_ids(const std::string& topic) const {
  std::vector<MessageId> ids;
  for (size_t w = 0; w < gossip_length_ && w < windows_.size(); ++w)
    for (const WindowItem& item : windows_[w])
      if (item.topic == topic) ids.push_back(item.id);
  return ids;
}

void MessageCache::shift() {
  windows_.emplace_front();
  while (windows_.size() > history_length_) {
    for (const WindowItem& item : windows_.back()) entries_.erase(item.id);
    windows_.pop_back();
  }
}

}  // namespace prowl::pubsub
