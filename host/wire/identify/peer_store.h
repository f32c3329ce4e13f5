// What identify taught us about each peer: its protocols, listen addresses,
// agent, public key, and its newest verified signed peer record (its
// self-certified addresses). Bounded; the least recently updated peer is
// forgotten first when full.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "host/base/identity/peer_id.h"
#include "host/base/peer_record/signed_peer_record.h"
#include "host/wire/identify/identify_message.h"

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

  /// Opens `envelope` as a signed peer record of `peer` and keeps it as the
  /// peer's certified addresses (true also when it is the one already kept).
  /// Returns false and keeps what was stored, with `error` (if given) saying
  /// why, when the envelope does not verify, describes another peer, or is a
  /// different record whose seq is not greater than the kept one's.
  bool add_certified(const identity::PeerId& peer, std::span<const uint8_t> envelope,
                     std::string* error = nullptr);

  /// The newest verified signed peer record of `peer`, if one was kept.
  std::optional<peer_record::SignedPeerRecord> certified(const identity::PeerId& peer) const;

  /// Forgets `peer`.
  void remove(const identity::PeerId& peer);

  /// Number of peers known.
  size_t size() const noexcept { return entries_.size(); }

 private:
  struct Entry {
    IdentifyRecord record;
    std::optional<peer_record::SignedPeerRecord> certified;
    uint64_t updated = 0;  // value of clock_ at the last update
  };

  /// The entry of `peer`, made (evicting the stalest when full) if absent;
  /// marks it updated.
  Entry& touch(const identity::PeerId& peer);

  size_t max_peers_;
  uint64_t clock_ = 0;
  std::map<identity::PeerId, Entry> entries_;
};

}  // namespace prowl::protocols
