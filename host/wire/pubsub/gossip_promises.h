// IWANT promises (gossipsub v1.1 "Behavioural penalties"): a peer that
// advertised a message in IHAVE and was asked for it with IWANT must deliver
// it within the follow-up time, or its behaviour penalty grows.
#pragma once

#include <map>
#include <unordered_map>

#include "host/base/identity/peer_id.h"
#include "host/wire/pubsub/message_id.h"

namespace prowl::pubsub {

/// Not thread-safe.
class GossipPromises {
 public:
  /// `peer` promised to deliver `id` before `deadline` (an earlier promise of the same peer stands).
  void add(const identity::PeerId& peer, const MessageId& id, Clock::time_point deadline);

  /// Message `id` arrived (from anyone) and began validation: its promises are kept.
  void fulfil(const MessageId& id);

  /// Removes the promises past their deadline; returns how many each peer broke.
  std::map<identity::PeerId, size_t> take_broken(Clock::time_point now);

  /// Number of open promises.
  size_t size() const;

 private:
  std::unordered_map<MessageId, std::map<identity::PeerId, Clock::time_point>> promises_;
};

}  // namespace prowl::pubsub
