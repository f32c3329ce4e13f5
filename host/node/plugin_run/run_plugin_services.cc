#include "host/node/plugin_run/run_plugin_services.h"

#include <utility>

namespace prowl::plugin_run {

RunPluginServices::RunPluginServices(boost::asio::any_io_executor executor, swarm::Swarm& swarm,
                                     const identity::KeyPair& key, pubsub_service::PubsubService& pubsub,
                                     dht::DhtService* dht, plugins::Registry& registry, RunPluginSettings settings)
    : registry_(registry),
      rr_(swarm, executor, settings.rr),
      howls_(pubsub, std::move(settings.howl)),
      net_(executor, swarm, rr_),
      pubsub_(executor, pubsub, settings.pubsub),
      howl_(executor, howls_),
      dht_(dht == nullptr ? nullptr : std::make_unique<plugin_dht::PluginDht>(executor, *dht, key)) {
  registry_.bind_services({&net_, dht_.get(), &pubsub_, &howl_});
  net_.on_peer_events(
      [&registry](prowl_role_event_type type, const std::string& peer) { registry.role_event(type, peer); });
}

RunPluginServices::~RunPluginServices() {
  net_.on_peer_events({});
  registry_.bind_services({});
}

}  // namespace prowl::plugin_run
