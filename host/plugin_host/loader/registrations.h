// The registrations one plugin holds in the host's services (listeners,
// served names, streams, requests, DHT calls, subscriptions, validators,
// howl subscriptions), kept in one table per plugin context. The bridges
// add an entry for each thing they register for a plugin, with the action
// that ends it; stopping or unloading the plugin runs exactly those actions.
// Limits per plugin are counted here too, so no bridge scans the others.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>

namespace prowl::plugins {

/// What a registration is, for per-plugin limits and messages.
enum class RegistrationKind {
  kListener,          ///< a stream protocol served
  kStream,            ///< an open stream, either direction
  kServed,            ///< a request-response name served
  kInbound,           ///< an inbound request not yet answered
  kOutbound,          ///< an outbound request awaiting its answer
  kDhtCall,           ///< a DHT call in flight
  kSubscription,      ///< a pub/sub subscription
  kValidator,         ///< a pub/sub validator
  kHowlSubscription,  ///< a howl subscription
};

/// "stream", "DHT call", ... for messages.
std::string_view registration_name(RegistrationKind kind) noexcept;

/// One plugin's table. Thread-safe. The release actions run outside the
/// table's lock, so they may take their bridge's lock; a bridge may call
/// add() and remove() while holding its own lock (never the other order).
class Registrations {
 public:
  Registrations() = default;
  Registrations(const Registrations&) = delete;
  Registrations& operator=(const Registrations&) = delete;

  /// Ends one registration, given its id. Runs on the event loop.
  using Release = std::function<void(uint64_t id)>;

  /// Adds a registration that release(id) ends and returns its id (never 0,
  /// unique in the process, so bridges may use it as the plugin's handle).
  /// nullopt when the plugin holds `limit` of `kind` already.
  std::optional<uint64_t> add(RegistrationKind kind, size_t limit, Release release);

  /// add() for a bridge: the release runs (owner->*end)(id) while `owner`
  /// lives, and does nothing once the bridge is gone.
  template <class Owner>
  std::optional<uint64_t> add_for(RegistrationKind kind, size_t limit, std::weak_ptr<Owner> owner,
                                  void (Owner::*end)(uint64_t)) {
    return add(kind, limit, [owner = std::move(owner), end](uint64_t id) {
      if (auto alive = owner.lock()) ((*alive).*end)(id);
    });
  }

  /// Forgets registration `id` without running its release (it ended by
  /// itself, or its bridge ended it). False when it is not here.
  bool remove(uint64_t id);

  /// How many registrations of `kind` the plugin holds.
  size_t count(RegistrationKind kind) const;

  /// Ends every registration, newest first, and forgets them.
  /// REQUIRES: on the event loop thread, or while it is not running (the
  /// bridges' release actions require it).
  void release_all() noexcept;

 private:
  struct Entry {
    RegistrationKind kind;
    Release release;
  };
  /// count() under the lock.
  size_t held(RegistrationKind kind) const;

  mutable std::mutex mutex_;
  std::map<uint64_t, Entry> entries_;
};

}  // namespace prowl::plugins
