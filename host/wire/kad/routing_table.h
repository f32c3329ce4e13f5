// The Kademlia routing table: 256 buckets of at most k server-mode peers,
// bucket i holding the peers whose key shares exactly i prefix bits with
// ours. A full bucket keeps its peers while they answer: a newcomer waits
// while the least recently seen peer is pinged, and replaces it only if the
// ping fails (the caller performs the ping and reports the result).
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <vector>

#include "host/base/identity/peer_id.h"
#include "host/wire/kad/constants.h"
#include "host/wire/kad/key.h"

namespace prowl::kad {

/// Whether a peer serves the DHT (answers /ipfs/kad/1.0.0) or only queries it.
enum class PeerMode { kServer, kClient };

/// A peer in the table.
struct RoutingEntry {
  identity::PeerId peer;
  Key key;
  Time last_seen;
};

/// What observe() did, and the ping it asks the caller to perform.
struct ObserveResult {
  enum class Outcome {
    kAdded,       ///< the peer entered its bucket
    kRefreshed,   ///< the peer was there; it is now the most recently seen
    kPending,     ///< the bucket is full; the peer waits for the ping's result
    kRemoved,     ///< a client-mode peer was taken out of the table
    kIgnored,     ///< ourselves, or a client-mode peer not in the table
  };
  Outcome outcome = Outcome::kIgnored;
  /// Ping this peer, then call on_ping_result (set only with kPending, and
  /// only when no ping for that bucket is already outstanding).
  std::optional<identity::PeerId> ping;
};

/// Not thread-safe: use it from one executor.
class RoutingTable {
 public:
  /// An empty table around `local`. REQUIRES: bucket_size > 0.
  explicit RoutingTable(const identity::PeerId& local, size_t bucket_size = kBucketSize);

  /// Records that `peer` was seen (it answered us, or asked us something) in
  /// `mode` at `now`. Only server-mode peers are kept.
  ObserveResult observe(const identity::PeerId& peer, PeerMode mode, Time now);

  /// Reports the ping observe() asked for: an alive peer stays (as most
  /// recently seen) and the waiting newcomer is dropped; a dead one is
  /// replaced by the newcomer. Ignored when no such ping is outstanding.
  void on_ping_result(const identity::PeerId& pinged, bool alive, Time now);

  /// Removes `peer` (e.g. after it failed requests). Returns whether it was there.
  bool remove(const identity::PeerId& peer);

  /// True when `peer` is in the table.
  bool contains(const identity::PeerId& peer) const;

  /// Up to `count` peers closest to `target`, closest first.
  std::vector<RoutingEntry> closest(const Key& target, size_t count) const;

  /// Number of peers in the table.
  size_t size() const noexcept { return size_; }

  /// The peers of bucket `index` (REQUIRES: index < 256), least recently seen first.
  const std::vector<RoutingEntry>& bucket(size_t index) const { return buckets_.at(index).entries; }

  /// The bucket `peer` belongs in, or nullopt for the local peer.
  std::optional<size_t> bucket_index(const identity::PeerId& peer) const;

  const identity::PeerId& local() const noexcept { return local_; }

 private:
  struct Bucket {
    std::vector<RoutingEntry> entries;        // least recently seen first
    std::optional<RoutingEntry> waiting;      // newcomer waiting on the ping
    std::optional<identity::PeerId> pinging;  // the entry being pinged
  };

  std::optional<size_t> index_of(const Key& key) const;
  // Makes *it the most recently seen entry.
  static void touch(Bucket& bucket, std::vector<RoutingEntry>::iterator it, Time now);
  // Removes *it, letting a waiting newcomer take its place.
  void erase(Bucket& bucket, std::vector<RoutingEntry>::iterator it);

  identity::PeerId local_;
  Key local_key_;
  size_t bucket_size_;
  size_t size_ = 0;
  std::array<Bucket, 256> buckets_;
};

}  // namespace prowl::kad
