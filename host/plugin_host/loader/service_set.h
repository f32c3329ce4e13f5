// Private: the network-side services a registry hands its plugins. Each is
// optional; a plugin's call to a missing one fails with PROWL_ERR_UNSUPPORTED.
// What each plugin registers in them is kept in its context (context.h).
#pragma once

#include "host/plugin_host/loader/dht_services.h"
#include "host/plugin_host/loader/howl_services.h"
#include "host/plugin_host/loader/net_services.h"
#include "host/plugin_host/loader/pubsub_services.h"

namespace prowl::plugins {

/// Non-owning pointers; whoever binds them keeps them alive while bound.
struct ServiceSet {
  NetServices* net = nullptr;        ///< streams and request-response (prowl/net.h)
  DhtServices* dht = nullptr;        ///< the DHT (prowl/dht.h)
  PubsubServices* pubsub = nullptr;  ///< gossipsub (prowl/pubsub.h)
  HowlServices* howl = nullptr;      ///< howls (prowl/howl.h)
};

}  // namespace prowl::plugins
