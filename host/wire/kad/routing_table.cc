#include "host/wire/kad/routing_table.h"

#include <algorithm>
#include <stdexcept>

namespace prowl::kad {
namespace {

auto find_peer(std::vector<RoutingEntry>& entries, const identity::PeerId& peer) {
  return std::find_if(entries.begin(), entries.end(),
                      [&](const RoutingEntry& e) { return e.peer == peer; });
}

}  // namespace

RoutingTable::RoutingTable(const identity::PeerId& local, size_t bucket_size)
    : local_(local), local_key_(Key::from_peer(local)), bucket_size_(bucket_size) {
  if (bucket_size == 0) throw std::invalid_argument("routing table: bucket size must be positive");
}

std::optional<size_t> RoutingTable::index_of(const Key& key) const {
  const size_t shared = leading_zeros(local_key_.distance(key));
  if (shared == 256) return std::nullopt;
  return shared;
}

std::optional<size_t> RoutingTable::bucket_index(const identity::PeerId& peer) const {
  if (peer == local_) return std::nullopt;
  return index_of(Key::from_peer(peer));
}

void RoutingTable::touch(Bucket& bucket, std::vector<RoutingEntry>::iterator it, Time now) {
  RoutingEntry entry = std::move(*it);
  entry.last_seen = now;
  bucket.entries.erase(it);
  bucket.entries.push_back(std::move(entry));
}

void RoutingTable::erase(Bucket& bucket, std::vector<RoutingEntry>::iterator it) {
  if (bucket.pinging == it->peer) bucket.pinging.reset();
  bucket.entries.erase(it);
  if (bucket.waiting) {  // the newcomer takes the freed place
    bucket.entries.push_back(std::move(*bucket.waiting));
    bucket.waiting.reset();
    bucket.pinging.reset();
  } else {
    --size_;
  }
}

ObserveResult RoutingTable::observe(const identity::PeerId& peer, PeerMode mode, Time now) {
  using Outcome = ObserveResult::Outcome;
  if (peer == local_) return {Outcome::kIgnored, std::nullopt};
  const Key key = Key::from_peer(peer);
  const auto index = index_of(key);
  if (!index) return {Outcome::kIgnored, std::nullopt};
  Bucket& bucket = buckets_[*index];
  auto it = find_peer(bucket.entries, peer);
  if (mode == PeerMode::kClient) {
    if (bucket.waiting && bucket.waiting->peer == peer) bucket.waiting.reset();
    if (it == bucket.entries.end()) return {Outcome::kIgnored, std::nullopt};
    erase(bucket, it);
    return {Outcome::kRemoved, std::nullopt};
  }
  if (it != bucket.entries.end()) {
    touch(bucket, it, now);
    return {Outcome::kRefreshed, std::nullopt};
  }
  if (bucket.entries.size() < bucket_size_) {
    bucket.entries.push_back(RoutingEntry{peer, key, now});
    ++size_;
    return {Outcome::kAdded, std::nullopt};
  }
  bucket.waiting = RoutingEntry{peer, key, now};
  if (bucket.pinging) return {Outcome::kPending, std::nullopt};
  bucket.pinging = bucket.entries.front().peer;
  return {Outcome::kPending, bucket.pinging};
}

void RoutingTable::on_ping_result(const identity::PeerId& pinged, bool alive, Time now) {
  const auto index = bucket_index(pinged);
  if (!index) return;
  Bucket& bucket = buckets_[*index];
  if (bucket.pinging != pinged) return;
  auto it = find_peer(bucket.entries, pinged);
  if (it == bucket.entries.end()) return;
  if (alive) {
    bucket.pinging.reset();
    bucket.waiting.reset();
    touch(bucket, it, now);
  } else {
    erase(bucket, it);
  }
}

bool RoutingTable::remove(const identity::PeerId& peer) {
  const auto index = bucket_index(peer);
  if (!index) return false;
  Bucket& bucket = buckets_[*index];
  auto it = find_peer(bucket.entries, peer);
  if (it == bucket.entries.end()) return false;
  erase(bucket, it);
  return true;
}

bool RoutingTable::contains(const identity::PeerId& peer) const {
  const auto index = bucket_index(peer);
  if (!index) return false;
  const auto& entries = buckets_[*index].entries;
  return std::any_of(entries.begin(), entries.end(),
                     [&](const RoutingEntry& e) { return e.peer == peer; });
}

std::vector<RoutingEntry> RoutingTable::closest(const Key& target, size_t count) const {
  std::vector<std::pair<Distance, const RoutingEntry*>> all;
  all.reserve(size_);
  for (const Bucket& bucket : buckets_) {
    for (const RoutingEntry& entry : bucket.entries) all.emplace_back(entry.key.distance(target), &entry);
  }
  const size_t n = std::min(count, all.size());
  std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n), all.end(),
                    [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<RoutingEntry> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) out.push_back(*all[i].second);
  return out;
}

}  // namespace prowl::kad
