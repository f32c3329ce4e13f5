// Provider records ("peer P can serve key K"), each living kProviderTtl
// after its last ADD_PROVIDER, bounded per key and in keys; and the keys
// this node provides itself, with when each is due to be announced again.
// Written through to the Database when one is given.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "host/base/identity/peer_id.h"
#include "host/wire/kad/constants.h"
#include "host/wire/kad/database.h"

namespace prowl::kad {

/// What a ProviderStore keeps at most, for how long, and how often we republish.
struct ProviderStoreLimits {
  size_t max_keys = 65536;
  size_t max_providers_per_key = 64;
  size_t max_key_bytes = kMaxKeyBytes;
  Clock::duration ttl = kProviderTtl;
  Clock::duration republish_interval = kProviderRepublishInterval;
};

/// Not thread-safe: use it from one executor. Methods that write throw
/// std::runtime_error when the database fails.
class ProviderStore {
 public:
  /// Loads what `database` holds (null for memory only; otherwise it must
  /// outlive the store), up to the limits.
  explicit ProviderStore(Database* database, ProviderStoreLimits limits = {});

  /// Records that `provider` serves `key` until now + ttl. A full key
  /// forgets the provider that expires soonest. Returns false, with `error`
  /// saying why, for an empty or overlong key or when max_keys are held.
  bool add(std::span<const uint8_t> key, const identity::PeerId& provider, Time now,
           std::string* error = nullptr);

  /// Up to `max` live providers of `key`, the most recently added first.
  std::vector<identity::PeerId> providers(std::span<const uint8_t> key, Time now, size_t max) const;

  /// Forgets expired provider records; returns how many.
  size_t expire(Time now);

  /// Keys with provider records held.
  size_t key_count() const noexcept { return providers_.size(); }

  /// Starts providing `key` ourselves, announced at `now` (the caller
  /// announces it right away, and usually also add()s itself).
  void start_providing(std::span<const uint8_t> key, Time now);

  /// Stops providing `key`; it is no longer due for republishing.
  void stop_providing(std::span<const uint8_t> key);

  /// The keys we provide whose last announcement is republish_interval old.
  std::vector<std::vector<uint8_t>> due_for_republish(Time now) const;

  /// Records that `key` was announced at `now`; ignored unless we provide it.
  void mark_published(std::span<const uint8_t> key, Time now);

  /// The keys we provide.
  std::vector<std::vector<uint8_t>> provided_keys() const;

 private:
  struct Entry {
    identity::PeerId provider;
    Time expires;
  };

  // Adds to memory only; false when the key cannot be held.
  bool insert(const std::vector<uint8_t>& key, const identity::PeerId& provider, Time expires,
              std::string* error);

  Database* database_;
  ProviderStoreLimits limits_;
  std::map<std::vector<uint8_t>, std::vector<Entry>> providers_;  // latest expiry last
  std::map<std::vector<uint8_t>, Time> local_;                    // key -> last announced
};

}  // namespace prowl::kad
