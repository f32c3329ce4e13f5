#include "host/node/node.h"

#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>

#include <algorithm>
#include <exception>
#include <optional>
#include <string>
#include <utility>

#include "host/base/log/log.h"
#include "host/node/plugin_run/run_plugin_services.h"
#include "host/plugin_host/hunt/plugin_hunt.h"
#include "host/services/discovery/bootstrapper.h"
#include "host/services/discovery/mdns_dialer.h"
#include "host/services/mdns/mdns_service.h"
#include "host/services/protocols/perf/perf.h"
#include "host/services/protocols/ping/ping.h"
#include "host/wire/mdns/peer_name.h"
#include "transports/memory/memory_transport.h"
#include "transports/tcp/tcp_transport.h"
#include "transports/websocket/ws_transport.h"

namespace prowl::node {
namespace asio = boost::asio;

namespace {

// Whether a peer on the mDNS link could dial listen address `text` (mDNS
// here is IPv4: loopback and IPv6 addresses are not announced).
bool dialable_from_link(const std::string& text) {
  return !text.starts_with("/ip4/127.") && !text.starts_with("/ip6/");
}

// The first interface that is up, multicast-capable, not loopback and has
// an IPv4 address; empty when there is none.
std::string default_mdns_interface() {
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return {};
  std::string found;
  for (ifaddrs* it = list; it != nullptr && found.empty(); it = it->ifa_next) {
    if (it->ifa_addr == nullptr || it->ifa_addr->sa_family != AF_INET) continue;
    const unsigned flags = it->ifa_flags;
    if ((flags & IFF_UP) && (flags & IFF_MULTICAST) && !(flags & IFF_LOOPBACK)) found = it->ifa_name;
  }
  freeifaddrs(list);
  return found;
}

asio::awaitable<void> identify_peer(protocols::IdentifyService& identify, identity::PeerId peer,
                                    const NetworkOptions& options) {
  const protocols::IdentifyRecord record = co_await identify.identify(peer);
  if (options.on_identified) options.on_identified(peer, record);
}

asio::awaitable<void> rejoin(dht::DhtService& dht) { co_await dht.bootstrap(); }

}  // namespace

Node::Node(asio::any_io_executor executor, NodeConfig config, plugins::Registry* registry)
    : executor_(executor),
      config_(std::move(config)),
      registry_(registry),
      peer_id_(identity::PeerId::from_public_key(config_.key.public_key())),
      tasks_(executor) {
  if (!networked()) return;
  swarm_ = std::make_unique<swarm::Swarm>(executor, config_.key, config_.network.swarm);
  if (config_.memory_network) {
    swarm_->add_transport(std::make_unique<transport::MemoryTransport>(executor, config_.memory_network));
  } else {
    swarm_->add_transport(std::make_unique<transport::TcpTransport>(executor));
    swarm_->add_transport(std::make_unique<transport::WebSocketTransport>(executor));
  }
  swarm_->set_handler(std::string(protocols::kPingProtocol),
                      [](std::shared_ptr<swarm::Stream> stream) -> asio::awaitable<void> {
                        co_await protocols::serve_ping(*stream);
                      });
  if (config_.network.serve_perf) {
    swarm_->set_handler(std::string(protocols::kPerfProtocol),
                        [](std::shared_ptr<swarm::Stream> stream) -> asio::awaitable<void> {
                          co_await protocols::serve_perf(*stream);
                        });
  }
  identify_ = std::make_unique<protocols::IdentifyService>(*swarm_, peers_, agent_version(),
                                                           config_.network.max_identify_bytes);
  identify_->install();
  if (config_.network.identify_on_connect) {
    swarm_->add_observer([this](const swarm::ConnectionInfo& info, bool established) {
      if (!established) return;
      tasks_.spawn(identify_peer(*identify_, info.peer, config_.network), [peer = info.peer](std::exception_ptr e) {
        if (!e) return;
        try {
          std::rethrow_exception(e);
        } catch (const std::exception& x) {
          log::get_logger("identify")->debug("identify of {} failed: {}", peer.to_string(), x.what());
        }
      });
    });
  }
}

Node::~Node() {
  // The services that refer to them are gone (stop()); identify refers to the swarm.
  identify_.reset();
  swarm_.reset();
}

asio::awaitable<std::vector<multiaddr::Multiaddr>> Node::start() {
  auto log = log::get_logger("prowl");
  // A client node is a one-shot command's tool: its start is no news.
  const auto level = config_.mode == NodeMode::kClient ? spdlog::level::debug : spdlog::level::info;
  log->log(level, "node identity {}", peer_id_.to_string());
  if (registry_ != nullptr) {
    const auto& records = registry_->records();
    const auto loaded = std::count_if(records.begin(), records.end(), [](const auto& r) { return r.loaded; });
    log->info("{} plugin(s) loaded, {} refused", loaded, records.size() - static_cast<size_t>(loaded));
  }
  std::vector<multiaddr::Multiaddr> bound;
  std::exception_ptr failure;
  try {
    if (config_.mode == NodeMode::kListen) {
      for (const auto& address : config_.listen) bound.push_back(co_await swarm_->listen(address));
    }
    if (networked()) {
      if (config_.pubsub.enabled) start_pubsub();
      if (config_.dht.enabled) start_dht();
      bind_plugins();
    }
    start_compute();
    start_agents();
  } catch (...) {
    failure = std::current_exception();
  }
  if (failure) {
    co_await stop();
    std::rethrow_exception(failure);
  }
  log->log(level, "running");
  co_return bound;
}

void Node::start_pubsub() {
  pubsub_ = std::make_unique<pubsub_service::PubsubService>(executor_, *swarm_, config_.pubsub.service);
  // Peer exchange passes on the signed peer records identify verified.
  pubsub_->set_peer_record_lookup([this](const identity::PeerId& peer) -> std::optional<std::vector<uint8_t>> {
    if (auto record = peers_.certified(peer)) return record->envelope();
    return std::nullopt;
  });
  for (const std::string& topic : config_.pubsub.topics) {
    pubsub_->subscribe(topic, [this](const pubsub::Message& message) {
      if (config_.pubsub.on_message) config_.pubsub.on_message(message);
    });
  }
}

void Node::start_dht() {
  // What can fail comes first (the data file, a named mDNS interface), so a
  // throw leaves nothing of the DHT running.
  dht_ = std::make_unique<dht::DhtService>(executor_, *swarm_, peers_, *identify_, config_.dht.service);
  create_mdns();
  dht_->start();
  if (!config_.dht.bootstrap.empty()) {
    bootstrapper_ = discovery::Bootstrapper::create(
        executor_, *swarm_, config_.dht.bootstrap, discovery::BootstrapConfig{},
        [this](const identity::PeerId& peer, const multiaddr::Multiaddr& address) { rejoin_dht(peer, {address}); });
    bootstrapper_->start();
  }
  if (mdns_) mdns_->start();
}

void Node::rejoin_dht(const identity::PeerId& peer, const std::vector<multiaddr::Multiaddr>& addresses) {
  if (!dht_) return;
  dht_->add_addresses(peer, addresses);
  tasks_.spawn(rejoin(*dht_));
}

void Node::create_mdns() {
  if (!config_.dht.mdns || config_.mode != NodeMode::kListen || config_.memory_network) return;
  auto log = log::get_logger("dht");
  const auto listening = swarm_->listen_addresses();
  if (std::none_of(listening.begin(), listening.end(),
                   [](const multiaddr::Multiaddr& a) { return dialable_from_link(a.to_string()); })) {
    log->info("mDNS off: listening on loopback only, nothing a peer on the link could dial");
    return;
  }
  const bool named = !config_.dht.mdns_interface.empty();
  const std::string interface = named ? config_.dht.mdns_interface : default_mdns_interface();
  if (interface.empty()) {
    log->warn("mDNS off: no multicast-capable IPv4 interface (name one with --mdns-interface)");
    return;
  }
  auto dialer = discovery::MdnsDialer::create(
      executor_, *swarm_, discovery::MdnsDialLimits{},
      [this](const identity::PeerId& peer, const std::vector<multiaddr::Multiaddr>& addresses) {
        rejoin_dht(peer, addresses);
      });
  try {
    mdns_ = mdns::MdnsService::create(
        executor_,
        mdns::MdnsDiscovery(swarm_->local_peer(), mdns::random_peer_name(), mdns::MdnsConfig{},
                            mdns::MdnsDiscovery::Clock::now()),
        mdns::MdnsSocketOptions{interface, true},
        [dialer](const identity::PeerId& peer, std::vector<multiaddr::Multiaddr> addresses) {
          dialer->on_peer(peer, std::move(addresses));
        });
  } catch (const std::exception& e) {
    if (named) throw;
    log->warn("mDNS off: {}", e.what());
    return;
  }
  mdns_dialer_ = std::move(dialer);
  // Announce what peers on the link can dial: a wildcard listen address
  // becomes the interface's own address.
  std::vector<multiaddr::Multiaddr> announced;
  const std::string ip = mdns_->interface_address().to_string();
  for (const auto& address : listening) {
    std::string text = address.without_peer().to_string();
    if (text.starts_with("/ip4/0.0.0.0/")) text = "/ip4/" + ip + text.substr(std::string("/ip4/0.0.0.0").size());
    if (!dialable_from_link(text)) continue;
    if (auto parsed = multiaddr::Multiaddr::parse(text)) announced.push_back(*parsed);
  }
  mdns_->set_listen_addresses(announced);
}

void Node::bind_plugins() {
  if (registry_ == nullptr || !pubsub_) return;
  plugin_run::RunPluginSettings settings;
  settings.howl = config_.howl;
  settings.rr = config_.rr;
  settings.pubsub.max_message_bytes = config_.pubsub.service.router.max_message_size;
  plugin_services_ = std::make_unique<plugin_run::RunPluginServices>(executor_, *swarm_, config_.key, *pubsub_,
                                                                     dht_.get(), *registry_, std::move(settings));
}

void Node::start_agents() {
  if (registry_ == nullptr) return;
  auto log = log::get_logger("prowl");
  for (prowl_kind kind : {PROWL_KIND_ROLE, PROWL_KIND_HUNT}) {
    for (const plugins::Plugin* agent : registry_->plugins(kind)) {
      plugins::CallResult r = agent->start();
      if (r.ok()) {
        log->info("started {} {}", plugins::kind_name(kind), agent->name());
        agents_.push_back(agent);
      } else {
        log->error("{} {} did not start: {}", plugins::kind_name(kind), agent->name(), r.message);
      }
    }
  }
}

void Node::stop_agents() {
  auto log = log::get_logger("prowl");
  for (auto it = agents_.rbegin(); it != agents_.rend(); ++it) {
    registry_->stop_agent(**it);
    log->info("stopped {} {}", plugins::kind_name((*it)->kind()), (*it)->name());
  }
  agents_.clear();
}

asio::awaitable<void> Node::stop() {
  if (stopped_) co_return;
  stopped_ = true;
  worker_.reset();
  stop_agents();
  if (compute_) compute_->close();
  plugin_services_.reset();
  if (mdns_) mdns_->stop();
  if (mdns_dialer_) mdns_dialer_->stop();
  if (bootstrapper_) bootstrapper_->stop();
  if (dht_) dht_->stop();
  pubsub_.reset();
  tasks_.cancel();
  if (swarm_) co_await swarm_->shutdown();
  co_await tasks_.join();
  // Nothing of ours awaits the DHT any more (the rejoins ended above).
  dht_.reset();
  mdns_.reset();
  mdns_dialer_.reset();
  bootstrapper_.reset();
  compute_.reset();
  reputation_.reset();
}

void Node::start_compute() {
  compute_ = std::make_unique<compute::Executor>(executor_, config_.compute.executor);
  if (registry_ != nullptr) {
    if (Status s = plugins::add_plugin_hunts(*registry_, hunts_); !s.ok()) throw StatusError(std::move(s));
  }
  if (!config_.compute.data_dir.empty()) {
    std::string error;
    auto store = reputation::Store::open(config_.compute.data_dir / "reputation.sqlite", &error);
    if (!store) throw StatusError(StatusCode::kInvalidInput, error);
    reputation_ = std::make_unique<reputation::Book>(config_.compute.reputation, std::move(store));
  }
  if (networked() && config_.compute.serve) {
    worker_ = std::make_unique<compute::WorkerService>(*swarm_, executor_, *compute_, hunts_, config_.compute.worker);
    worker_->install();
  }
}

}  // namespace prowl::node
