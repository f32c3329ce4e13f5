#include "host/node/node_config.h"

#include <utility>

#include "host/base/status/status.h"
#include "host/node/config_values.h"
#include "host/node/service_settings.h"
#include "host/services/discovery/bootstrapper.h"
#include "host/services/howl/howl_codec.h"
#include "host/wire/multistream/message.h"

namespace prowl::node {
namespace {

[[noreturn]] void refuse(std::string message) { throw StatusError(StatusCode::kInvalidInput, std::move(message)); }

// The howl.* keys: this node's pack and territory, each a valid group id.
howl::HowlConfig howl_settings(const config::Config& config) {
  howl::HowlConfig howl;
  howl.pack = config.get_string("howl.pack");
  howl.territory = config.get_string("howl.territory");
  std::string why;
  if (!howl::valid_group(howl::Range::kPack, howl.pack, &why)) refuse("howl.pack: " + why);
  if (!howl::valid_group(howl::Range::kTerritory, howl.territory, &why)) refuse("howl.territory: " + why);
  return howl;
}

std::vector<multiaddr::Multiaddr> listen_addresses(const std::vector<std::string>& texts) {
  std::vector<multiaddr::Multiaddr> addresses;
  for (const std::string& text : texts) {
    std::string error;
    auto address = multiaddr::Multiaddr::parse(text, &error);
    if (!address) refuse("listen address: " + error);
    addresses.push_back(std::move(*address));
  }
  return addresses;
}

// What every networked node shares: limits, identify, gossipsub and kad settings.
NodeConfig common_config(const config::Config& config, identity::KeyPair key) {
  NodeConfig node(std::move(key));
  node.network = network_options(config);
  node.pubsub.service = pubsub_settings(config);
  node.dht.service.protocol = config.get_string("network.kad_protocol");
  node.dht.service.max_message_bytes = config_count(config, "network.limits.max_kad_message_bytes");
  node.dht.service.records.max_records_per_publisher =
      config_count(config, "network.limits.max_kad_records_per_publisher");
  return node;
}

}  // namespace

ComputeSettings compute_settings(const config::Config& config, const std::filesystem::path& data_dir) {
  ComputeSettings c;
  c.executor.threads = config_count(config, "compute.threads");
  c.executor.max_queued = config_count(config, "compute.max_queued");
  c.executor.max_output_bytes = config_count(config, "compute.max_result_bytes");
  c.serve = config.get_string("compute.serve") == "on";
  c.worker.slots = config_count(config, "compute.slots");
  c.worker.limits.max_result_bytes = config_count(config, "compute.max_result_bytes");
  c.job.replicas = static_cast<uint32_t>(config_count(config, "compute.replicas"));
  c.job.quorum = static_cast<uint32_t>(config_count(config, "compute.quorum"));
  c.job.max_replicas = static_cast<uint32_t>(config_count(config, "compute.max_replicas"));
  c.job.adaptive = config.get_string("compute.adaptive") == "on";
  c.job.task_timeout = config_ms(config, "compute.task_timeout_ms");
  require_at_most("compute.quorum", c.job.quorum, "compute.replicas", c.job.replicas);
  require_at_most("compute.replicas", c.job.replicas, "compute.max_replicas", c.job.max_replicas);
  c.reputation.trust_threshold = config.get_number("reputation.trust_threshold");
  c.reputation.decay = config.get_number("reputation.decay");
  c.reputation.failed_attempts = static_cast<uint32_t>(config_count(config, "reputation.failed_attempts"));
  c.reputation.quarantine = std::chrono::seconds(config.get_integer("reputation.quarantine_s"));
  c.data_dir = data_dir;
  return c;
}

NodeConfig from_config(const config::Config& config, const RunFlags& flags, identity::KeyPair key,
                       const std::filesystem::path& data_dir) {
  NodeConfig node = common_config(config, std::move(key));
  node.compute = compute_settings(config, data_dir);
  node.rr = rr_settings(config);
  node.howl = howl_settings(config);
  node.listen = listen_addresses(flags.listen.empty() ? config.get_string_list("network.listen") : flags.listen);
  node.mode = node.listen.empty() ? NodeMode::kOffline : NodeMode::kListen;
  if (node.mode == NodeMode::kOffline) {
    if (!flags.subscribe.empty()) refuse("--subscribe needs the network: give --listen MULTIADDR (or network.listen)");
    if (flags.dht_flags_given()) {
      refuse(
          "--bootstrap, --no-mdns, --mdns-interface, --kad-protocol and --kad-client need the network: give "
          "--listen MULTIADDR (or network.listen)");
    }
  }
  node.network.serve_perf = flags.perf;
  node.network.identify_on_connect = true;
  node.pubsub.topics = flags.subscribe;

  dht::DhtConfig& dht = node.dht.service;
  if (!flags.kad_protocol.empty()) dht.protocol = flags.kad_protocol;
  check_kad_protocol(dht.protocol, flags.kad_protocol.empty() ? "network.kad_protocol" : "--kad-protocol");
  dht.server = !flags.kad_client && config.get_string("network.kad_mode") != "client";
  dht.data_dir = data_dir;
  node.dht.bootstrap = discovery::parse_bootstrap_addresses(config.get_string_list("network.bootstrap"),
                                                            "network.bootstrap");
  for (auto& address : discovery::parse_bootstrap_addresses(flags.bootstrap, "--bootstrap"))
    node.dht.bootstrap.push_back(std::move(address));
  node.dht.mdns = !flags.no_mdns && config.get_string("network.mdns") != "off";
  node.dht.mdns_interface =
      flags.mdns_interface.empty() ? config.get_string("network.mdns_interface") : flags.mdns_interface;
  return node;
}

NodeConfig client_config(const config::Config& config, identity::KeyPair key) {
  NodeConfig node = common_config(config, std::move(key));
  node.mode = NodeMode::kClient;
  node.dht.enabled = false;
  node.dht.service.server = false;
  node.dht.mdns = false;
  node.pubsub.enabled = false;
  return node;
}

std::string kad_protocol_error(const std::string& protocol) {
  std::string error;
  if (!protocol.starts_with('/')) {
    error = "a protocol id starts with '/'";
  } else {
    multistream::check_protocol_id(protocol, &error);
  }
  return error.empty() ? error : "'" + protocol + "': " + error;
}

void check_kad_protocol(const std::string& protocol, const std::string& source) {
  if (std::string error = kad_protocol_error(protocol); !error.empty()) refuse(source + " " + error);
}

std::string agent_version() { return std::string("prowl/") + PROWL_VERSION; }

}  // namespace prowl::node
