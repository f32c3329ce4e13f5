// What identify taught us about each peer: its protocols, listen addresses,
// agent, public key. Bounded; the least recently updated peer is forgotten
// first when full.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "host/identity/peer_id.h"
#include "host/protocols/identify/identify_message.h"

namespace prowl::protocols {

/// A per-peer store of identify records. Not thread-safe: use it from the
/// swarm's executor.
class PeerStore {
 public:
  /// How an update combines with what is stored.
  enum class Update {
    kReplace,  ///< an /ipfs/id/1.0.0 answer: the record is the whole truth
    kMerge,    ///< an /ipfs/id/push/1.0.0 update: fields it carries replace ours
  };

  /// REQUIRES: max_peers > 0.
  explicit PeerStore(size_t max_peers = 4096) : max_peers_(max_peers) {}

  /// Stores what `record` says about `peer`, forgetting the least recently
  /// updated peer when the store is full.
  void update(const identity::PeerId& peer, const IdentifyRecord& record, Update how);

  /// The record of `peer`, or nullopt when nothing is known.
  std::optional<IdentifyRecord> find(const identity::PeerId& peer) const;

  /// True when `peer` is known to support `protocol`.
  bool supports(const identity::PeerId& peer, const std::string& protocol) const;

  /// Forgets `peer`.
  void remove(const identity::PeerId& peer);

  /// Number of peers known.
  size_t size() const noexcept { return entries_.size(); }

 private:
  struct Entry {
    IdentifyRecord record;
    uint64_t updated = 0;  // value of clock_ at the last update
  };

  size_t max_peers_;
  uint64_t clock_ = 0;
  std::map<identity::PeerId, Entry> entries_;
};

}  // namespace prowl::protocols
