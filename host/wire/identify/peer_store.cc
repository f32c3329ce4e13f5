#include "host/wire/identify/peer_store.h"

#include <algorithm>

namespace prowl::protocols {
namespace {

void merge(IdentifyRecord& into, const IdentifyRecord& from) {
  if (from.protocol_version) into.protocol_version = from.protocol_version;
  if (from.agent_version) into.agent_version = from.agent_version;
  if (from.public_key) into.public_key = from.public_key;
  if (!from.listen_addrs.empty()) into.listen_addrs = from.listen_addrs;
  if (from.observed_addr) into.observed_addr = from.observed_addr;
  if (!from.protocols.empty()) into.protocols = from.protocols;
  if (from.signed_peer_record) into.signed_peer_record = from.signed_peer_record;
}

}  // namespace

PeerStore::Entry& PeerStore::touch(const identity::PeerId& peer) {
  auto it = entries_.find(peer);
  if (it == entries_.end()) {
    if (entries_.size() >= max_peers_) {
      auto oldest = std::min_element(entries_.begin(), entries_.end(), [](const auto& a, const auto& b) {
        return a.second.updated < b.second.updated;
      });
      entries_.erase(oldest);
    }
    it = entries_.emplace(peer, Entry{}).first;
  }
  it->second.updated = ++clock_;
  return it->second;
}

void PeerStore::update(const identity::PeerId& peer, const IdentifyRecord& record, Update how) {
  Entry& entry = touch(peer);
  if (how == Update::kReplace) {
    entry.record = record;
  } else {
    merge(entry.record, record);
  }
}

bool PeerStore::add_certified(const identity::PeerId& peer, std::span<const uint8_t> envelope,
                              std::string* error) {
  auto opened = peer_record::SignedPeerRecord::open(envelope, error);
  if (!opened) return false;
  if (opened->peer() != peer) {
    if (error != nullptr) {
      *error = "signed peer record from " + peer.to_string() + " describes " + opened->peer().to_string();
    }
    return false;
  }
  if (auto it = entries_.find(peer); it != entries_.end() && it->second.certified &&
                                     it->second.certified->record().seq() >= opened->record().seq()) {
    if (it->second.certified->envelope() == opened->envelope()) return true;  // already kept
    if (error != nullptr) {
      *error = "signed peer record of " + peer.to_string() + " has seq " +
               std::to_string(opened->record().seq()) + ", not newer than the kept " +
               std::to_string(it->second.certified->record().seq());
    }
    return false;
  }
  touch(peer).certified = std::move(*opened);
  return true;
}

std::optional<peer_record::SignedPeerRecord> PeerStore::certified(const identity::PeerId& peer) const {
  auto it = entries_.find(peer);
  if (it == entries_.end()) return std::nullopt;
  return it->second.certified;
}

std::optional<IdentifyRecord> PeerStore::find(const identity::PeerId& peer) const {
  auto it = entries_.find(peer);
  if (it == entries_.end()) return std::nullopt;
  return it->second.record;
}

bool PeerStore::supports(const identity::PeerId& peer, const std::string& protocol) const {
  auto it = entries_.find(peer);
  if (it == entries_.end()) return false;
  const auto& protocols = it->second.record.protocols;
  return std::find(protocols.begin(), protocols.end(), protocol) != protocols.end();
}

void PeerStore::remove(const identity::PeerId& peer) {
  auto it = entries_.find(peer);
  if (it != entries_.end()) entries_.erase(it);
}

}  // namespace prowl::protocols
