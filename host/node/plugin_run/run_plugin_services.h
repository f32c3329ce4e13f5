// The services `prowl run` gives its plugins once the network is up: the
// request-response service, a HowlService over the node's gossipsub, and
// the bridges (streams/rr, DHT, pub/sub, howls), bound to the registry that
// was loaded before the network existed.
#pragma once

#include <boost/asio/any_io_executor.hpp>

#include <memory>

#include "host/services/howl/howl_service.h"
#include "host/base/identity/key_pair.h"
#include "host/plugin_host/dht/plugin_dht.h"
#include "host/plugin_host/howl/plugin_howl.h"
#include "host/plugin_host/net/plugin_net.h"
#include "host/plugin_host/pubsub/plugin_pubsub.h"
#include "host/plugin_host/loader/registry.h"
#include "host/services/rr/request_response.h"

namespace prowl::plugin_run {

/// The configurable parts of the plugin services.
struct RunPluginSettings {
  howl::HowlConfig howl;                         ///< this node's pack and territory
  rr::RequestResponseConfig rr;                  ///< request-response limits and timeouts
  plugin_pubsub::PluginPubsubConfig pubsub;      ///< pub/sub bridge limits (max_message_bytes: the router's)
};

/// Not thread-safe: construct and destroy on the swarm's executor thread
/// while the loop is not running. REQUIRES: the swarm, gossipsub and DHT
/// (when given) outlive this object; the registry outlives it.
class RunPluginServices {
 public:
  /// Binds every service to `registry`; `dht` may be null (no DHT: its calls
  /// fail with PROWL_ERR_UNSUPPORTED); `settings.howl` names this node's
  /// pack and territory. Throws std::invalid_argument naming a bad pack or
  /// territory id.
  RunPluginServices(boost::asio::any_io_executor executor, swarm::Swarm& swarm, const identity::KeyPair& key,
                    pubsub_service::PubsubService& pubsub, dht::DhtService* dht, plugins::Registry& registry,
                    RunPluginSettings settings = {});
  /// Unbinds them, ending every plugin's registrations.
  ~RunPluginServices();
  RunPluginServices(const RunPluginServices&) = delete;
  RunPluginServices& operator=(const RunPluginServices&) = delete;

 private:
  plugins::Registry& registry_;
  rr::RequestResponse rr_;
  howl::HowlService howls_;
  plugin_net::PluginNet net_;
  plugin_pubsub::PluginPubsub pubsub_;
  plugin_howl::PluginHowl howl_;
  std::unique_ptr<plugin_dht::PluginDht> dht_;
};

}  // namespace prowl::plugin_run
