// The peers this node knows how to reach: their addresses (most recently
// learned first) and when they were last seen. Bounded; the least recently
// seen peer is forgotten first. Written through to the Database when one is
// given, so a restarted node can bootstrap from the peers it knew.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <utility>
#include <vector>

#include "host/base/identity/peer_id.h"
#include "host/wire/kad/constants.h"
#include "host/wire/kad/database.h"
#include "host/base/multiaddr/multiaddr.h"

namespace prowl::kad {

/// What an AddressBook keeps at most.
struct AddressBookLimits {
  size_t max_peers = 16384;
  size_t max_addresses = kMaxAddressesPerPeer;
};

/// Not thread-safe: use it from one executor. Methods that write throw
/// std::runtime_error when the database fails.
class AddressBook {
 public:
  /// How far last_seen may advance before an otherwise unchanged peer is
  /// written to the database again.
  static constexpr std::chrono::minutes kLastSeenWriteInterval{10};

  /// Loads what `database` holds (null for memory only; otherwise it must
  /// outlive the book), the most recently seen peers first, up to the limits.
  explicit AddressBook(Database* database, AddressBookLimits limits = {});

  /// Records that `peer` was seen at `now` with `addresses`, which go first
  /// in its list (duplicates, empty ones and those over kMaxAddressBytes are
  /// dropped; the list keeps max_addresses). An unknown peer without usable
  /// addresses is not added.
  void add(const identity::PeerId& peer, std::span<const multiaddr::Multiaddr> addresses, Time now);

  /// The addresses of `peer` (empty when unknown).
  std::vector<multiaddr::Multiaddr> addresses(const identity::PeerId& peer) const;

  /// What is known of `peer`.
  std::optional<KnownPeer> find(const identity::PeerId& peer) const;

  /// Forgets `peer`; returns whether it was known.
  bool remove(const identity::PeerId& peer);

  /// Up to `count` peers, the most recently seen first (bootstrap candidates).
  std::vector<KnownPeer> most_recent(size_t count) const;

  size_t size() const noexcept { return peers_.size(); }

 private:
  struct Entry {
    KnownPeer peer;
    Time written;  // last_seen as last written to the database
  };

  // Adds `peer` to memory, forgetting the least recently seen one when full.
  void insert(KnownPeer peer, Time written);

  Database* database_;
  AddressBookLimits limits_;
  std::map<identity::PeerId, Entry> peers_;
  std::set<std::pair<Time, identity::PeerId>> by_last_seen_;
};

}  // namespace prowl::kad
