#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <csignal>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "host/app/commands.h"
#include "host/app/dht_commands.h"
#include "host/services/howl/howl_codec.h"
#include "host/base/identity/key_store.h"
#include "host/base/identity/peer_id.h"
#include "host/base/log/log.h"
#include "host/app/network_commands.h"
#include "host/node/service_settings.h"
#include "host/node/plugin_run/run_plugin_services.h"
#include "host/wire/identify/peer_store.h"
#include "host/app/pubsub_commands.h"

namespace prowl::cli {
namespace asio = boost::asio;

namespace {

/// Starts every role and hunt plugin; returns those that started.
std::vector<const plugins::Plugin*> start_agents(const plugins::Registry& registry,
                                                 spdlog::logger& logger) {
  std::vector<const plugins::Plugin*> started;
  for (prowl_kind kind : {PROWL_KIND_ROLE, PROWL_KIND_HUNT}) {
    for (const plugins::Plugin* agent : registry.plugins(kind)) {
      plugins::CallResult r = agent->start();
      if (r.ok()) {
        logger.info("started {} {}", plugins::kind_name(kind), agent->name());
        started.push_back(agent);
      } else {
        logger.error("{} {} did not start: {}", plugins::kind_name(kind), agent->name(), r.message);
      }
    }
  }
  return started;
}

}  // namespace

void add_run_command(CLI::App& app, Context& context, int& exit_code) {
  CLI::App* run = app.add_subcommand("run", "Run the node headless until SIGINT or SIGTERM");
  auto exit_after = std::make_shared<double>(0);
  run->add_option("--exit-after", *exit_after, "stop cleanly after this many seconds")
      ->check(CLI::NonNegativeNumber);
  auto network_flags = net_cli::add_run_network_options(*run);
  auto pubsub_flags = pubsub_service::add_run_pubsub_options(*run);
  auto dht_flags = dht::add_run_dht_options(*run);
  run->callback([&context, &exit_code, exit_after, network_flags, pubsub_flags, dht_flags] {
    context.init();
    auto logger = log::get_logger("prowl");
    const identity::KeyPair key = [&] {
      try {
        return identity::load_or_create_identity(context.data_dir());
      } catch (const std::runtime_error& e) {
        throw CliError(e.what());
      }
    }();
    logger->info("node identity {}", identity::PeerId::from_public_key(key.public_key()).to_string());
    plugins::Registry& registry = context.registry();
    size_t loaded = 0;
    for (const auto& record : registry.records()) loaded += record.loaded ? 1 : 0;
    logger->info("{} plugin(s) loaded, {} refused", loaded, registry.records().size() - loaded);
    // Every service setting is checked before anything starts.
    const pubsub_service::PubsubServiceConfig pubsub_config = net_cli::pubsub_settings(context.config());
    plugin_run::RunPluginSettings plugin_settings;
    plugin_settings.rr = net_cli::rr_settings(context.config());
    plugin_settings.pubsub.max_message_bytes = pubsub_config.router.max_message_size;
    plugin_settings.howl.pack = context.config().get_string("howl.pack");
    plugin_settings.howl.territory = context.config().get_string("howl.territory");
    std::string why;
    if (!howl::valid_group(howl::Range::kPack, plugin_settings.howl.pack, &why)) throw CliError("howl.pack: " + why);
    if (!howl::valid_group(howl::Range::kTerritory, plugin_settings.howl.territory, &why))
      throw CliError("howl.territory: " + why);

    asio::io_context io;
    const auto network = net_cli::start_network(io, context, key, *network_flags);
    // Gossip needs the network; declared after it so it is destroyed first.
    std::unique_ptr<pubsub_service::RunPubsub> pubsub;
    if (network) {
      pubsub = std::make_unique<pubsub_service::RunPubsub>(io.get_executor(), network->swarm(), *pubsub_flags,
                                                           pubsub_config);
      // Peer exchange passes on the signed peer records identify verified.
      pubsub->service().set_peer_record_lookup(
          [&peers = network->peers()](const identity::PeerId& peer) -> std::optional<std::vector<uint8_t>> {
            if (auto record = peers.certified(peer)) return record->envelope();
            return std::nullopt;
          });
    } else if (!pubsub_flags->subscribe.empty()) {
      throw CliError("--subscribe needs the network: give --listen MULTIADDR (or network.listen)");
    }
    // The DHT, bootstrap peers and mDNS; declared after the network so it is destroyed first.
    std::unique_ptr<dht::RunDht> run_dht;
    if (network) {
      run_dht = std::make_unique<dht::RunDht>(io.get_executor(), network->swarm(), network->peers(),
                                              network->identify(),
                                              dht::run_dht_settings(context.config(), context.data_dir()), *dht_flags);
    } else if (dht_flags->given()) {
      throw CliError(
          "--bootstrap, --no-mdns, --mdns-interface, --kad-protocol and --kad-client need the network: give "
          "--listen MULTIADDR (or network.listen)");
    }
    // Plugins' streams, request-response, DHT, pub/sub and howls, bound to the
    // registry loaded before the network; declared last so it is unbound first.
    std::unique_ptr<plugin_run::RunPluginServices> plugin_services;
    if (network) {
      plugin_services = std::make_unique<plugin_run::RunPluginServices>(
          io.get_executor(), network->swarm(), key, pubsub->service(), &run_dht->service(), registry,
          std::move(plugin_settings));
    }
    asio::signal_set signals(io, SIGINT, SIGTERM);
    asio::steady_timer deadline(io);
    std::vector<const plugins::Plugin*> started;
    signals.async_wait([&](const boost::system::error_code& ec, int signal) {
      if (ec) return;
      logger->info("received signal {}, shutting down", signal);
      deadline.cancel();
      io.stop();
    });
    if (*exit_after > 0) {
      deadline.expires_after(std::chrono::duration_cast<std::chrono::steady_clock::duration>(
          std::chrono::duration<double>(*exit_after)));
      deadline.async_wait([&](const boost::system::error_code& ec) {
        if (ec) return;
        logger->info("--exit-after elapsed, shutting down");
        signals.cancel();
        io.stop();
      });
    }
    asio::post(io, [&] {
      started = start_agents(registry, *logger);
      logger->info("running");
    });
    io.run();
    for (auto it = started.rbegin(); it != started.rend(); ++it) {
      registry.stop_agent(**it);
      logger->info("stopped {} {}", plugins::kind_name((*it)->kind()), (*it)->name());
    }
    logger->info("shut down cleanly");
    exit_code = 0;
  });
}

}  // namespace prowl::cli
