// The gossipsub message cache (gossipsub v1.0 "mcache"): recent messages in
// `history_length` heartbeat windows; the newest `gossip_length` windows are
// advertised in IHAVE gossip, and any cached message can answer an IWANT.
#pragma once

#include <deque>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "host/base/identity/peer_id.h"
#include "host/wire/pubsub/message_id.h"

namespace prowl::pubsub {

/// Not thread-safe.
class MessageCache {
 public:
  /// REQUIRES: 0 < gossip_length <= history_length.
  MessageCache(size_t history_length, size_t gossip_length);

  /// Caches `message` under `id` in the current window (a present id is kept as is).
  void put(const MessageId& id, const pb::Message& message);

  /// The cached message, or nullptr.
  const pb::Message* get(const MessageId& id) const;

  /// The cached message for an IWANT from `peer`, counting the request; nullptr
  /// when not cached or when `peer` already asked more than `max_transmissions` times.
  const pb::Message* get_for_peer(const MessageId& id, const identity::PeerId& peer,
                                  size_t max_transmissions);

  /// Ids of `topic` in the gossip windows, newest window first.
  std::vector<MessageId> gossip_ids(const std::string& topic) const;

  /// Opens a new window, dropping the oldest beyond history_length.
  void shift();

  /// Number of cached messages.
  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    pb::Message message;
    std::map<identity::PeerId, size_t> transmissions;
  };
  struct WindowItem {
    MessageId id;
    std::string topic;
  };

  size_t history_length_;
  size_t gossip_length_;
  std::unordered_map<MessageId, Entry> entries_;
  std::deque<std::vector<WindowItem>> windows_;  // newest first
};

}  // namespace prowl::pubsub
