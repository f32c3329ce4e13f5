// Private: the network-side services a registry hands its plugins. Each is
// optional; a plugin's call to a missing one fails with PROWL_ERR_UNSUPPORTED.
#pragma once

#include <string_view>

#include "host/plugin_host/loader/dht_services.h"
#include "host/plugin_host/loader/howl_services.h"
#include "host/plugin_host/loader/net_services.h"
#include "host/plugin_host/loader/pubsub_services.h"

namespace prowl::plugins {

/// Non-owning pointers; whoever binds them keeps them alive while bound.
struct ServiceSet {
  NetServices* net = nullptr;        ///< streams and request-response (ABI 1.1)
  DhtServices* dht = nullptr;        ///< the DHT (ABI 1.2)
  PubsubServices* pubsub = nullptr;  ///< gossipsub (ABI 1.2)
  HowlServices* howl = nullptr;      ///< howls (ABI 1.2)

  /// Ends `plugin`'s registrations in every service (empty: every plugin's).
  /// REQUIRES: as the services' release().
  void release(std::string_view plugin) const noexcept {
    if (net != nullptr) net->release(plugin);
    if (dht != nullptr) dht->release(plugin);
    if (pubsub != nullptr) pubsub->release(plugin);
    if (howl != nullptr) howl->release(plugin);
  }
};

}  // namespace prowl::plugins
