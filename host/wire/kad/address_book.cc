#include "host/wire/kad/address_book.h"

#include <algorithm>

namespace prowl::kad {

AddressBook::AddressBook(Database* database, AddressBookLimits limits) : database_(database), limits_(limits) {
  if (database_ == nullptr) return;
  std::vector<KnownPeer> known = database_->load_peers();
  std::sort(known.begin(), known.end(),
            [](const KnownPeer& a, const KnownPeer& b) { return a.last_seen > b.last_seen; });
  for (KnownPeer& peer : known) {
    if (peers_.size() == limits_.max_peers) break;
    if (peer.addresses.size() > limits_.max_addresses) peer.addresses.resize(limits_.max_addresses);
    const Time seen = peer.last_seen;
    insert(std::move(peer), seen);
  }
}

void AddressBook::insert(KnownPeer peer, Time written) {
  if (peers_.size() >= limits_.max_peers) {
    const auto oldest = by_last_seen_.begin();
    if (database_ != nullptr) database_->delete_peer(oldest->second);
    peers_.erase(peers_.find(oldest->second));
    by_last_seen_.erase(oldest);
  }
  by_last_seen_.emplace(peer.last_seen, peer.id);
  identity::PeerId id = peer.id;
  peers_.emplace(std::move(id), Entry{std::move(peer), written});
}

void AddressBook::add(const identity::PeerId& peer,
                      std::span<const multiaddr::Multiaddr> addresses, Time now) {
  std::vector<multiaddr::Multiaddr> learned;
  for (const auto& address : addresses) {
    if (address.empty() || address.bytes().size() > kMaxAddressBytes) continue;
    if (std::find(learned.begin(), learned.end(), address) == learned.end()) learned.push_back(address);
  }
  auto it = peers_.find(peer);
  if (it == peers_.end()) {
    if (learned.empty()) return;
    if (learned.size() > limits_.max_addresses) learned.resize(limits_.max_addresses);
    KnownPeer known{peer, std::move(learned), now};
    if (database_ != nullptr) database_->save_peer(known);
    insert(std::move(known), now);
    return;
  }
  Entry& entry = it->second;
  for (const auto& address : entry.peer.addresses) {
    if (std::find(learned.begin(), learned.end(), address) == learned.end()) learned.push_back(address);
  }
  if (learned.size() > limits_.max_addresses) learned.resize(limits_.max_addresses);
  const bool changed = learned != entry.peer.addresses;
  const Time seen = std::max(now, entry.peer.last_seen);
  if (changed || seen - entry.written >= kLastSeenWriteInterval) {
    KnownPeer updated{peer, learned, seen};
    if (database_ != nullptr) database_->save_peer(updated);
    entry.written = seen;
  }
  by_last_seen_.erase(by_last_seen_.find({entry.peer.last_seen, peer}));
  by_last_seen_.emplace(seen, peer);
  entry.peer.addresses = std::move(learned);
  entry.peer.last_seen = seen;
}

std::vector<multiaddr::Multiaddr> AddressBook::addresses(const identity::PeerId& peer) const {
  auto it = peers_.find(peer);
  return it == peers_.end() ? std::vector<multiaddr::Multiaddr>{} : it->second.peer.addresses;
}

std::optional<KnownPeer> AddressBook::find(const identity::PeerId& peer) const {
  auto it = peers_.find(peer);
  if (it == peers_.end()) return std::nullopt;
  return it->second.peer;
}

bool AddressBook::remove(const identity::PeerId& peer) {
  auto it = peers_.find(peer);
  if (it == peers_.end()) return false;
  if (database_ != nullptr) database_->delete_peer(peer);
  by_last_seen_.erase(by_last_seen_.find({it->second.peer.last_seen, peer}));
  peers_.erase(it);
  return true;
}

std::vector<KnownPeer> AddressBook::most_recent(size_t count) const {
  std::vector<KnownPeer> out;
  for (auto it = by_last_seen_.rbegin(); it != by_last_seen_.rend() && out.size() < count; ++it) {
    out.push_back(peers_.at(it->second).peer);
  }
  return out;
}

}  // namespace prowl::kad
