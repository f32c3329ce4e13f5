#include "host/app/dht_commands.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/this_coro.hpp>

#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <utility>

#include "host/base/config/config.h"
#include "host/services/dht/key_text.h"
#include "host/services/discovery/bootstrapper.h"
#include "host/services/discovery/mdns_dialer.h"
#include "host/base/encoding/hex.h"
#include "host/base/encoding/utf8.h"
#include "host/base/identity/key_pair.h"
#include "host/wire/kad/signed_value.h"
#include "host/base/log/log.h"
#include "host/services/mdns/mdns_service.h"
#include "host/wire/mdns/peer_name.h"
#include "host/base/multiaddr/multiaddr.h"
#include "host/wire/multistream/message.h"
#include "host/swarm/swarm.h"

namespace prowl::dht {
namespace asio = boost::asio;

namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

std::string json_line(const std::function<void(JsonWriter&)>& fill) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  fill(w);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

void print_line(const std::string& line) {
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

void write_string(JsonWriter& w, const char* name, const std::string& value) {
  w.Key(name);
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

void write_peer(JsonWriter& w, const kad::PeerInfo& peer) {
  write_string(w, "peerId", peer.id.to_string());
  w.Key("addrs");
  w.StartArray();
  for (const auto& a : peer.addresses) {
    const std::string text = a.to_string();
    w.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
  }
  w.EndArray();
}

void write_peers(JsonWriter& w, const char* name, const std::vector<kad::PeerInfo>& peers) {
  w.Key(name);
  w.StartArray();
  for (const auto& peer : peers) {
    w.StartObject();
    write_peer(w, peer);
    w.EndObject();
  }
  w.EndArray();
}

std::vector<uint8_t> key_flag(const std::string& text) {
  std::string error;
  auto key = parse_key(text, &error);
  if (!key) throw std::runtime_error("KEY: " + error);
  return *key;
}

identity::PeerId peer_flag(const std::string& text) {
  std::string error;
  auto peer = identity::PeerId::from_string(text, &error);
  if (!peer) throw std::runtime_error("PEERID: " + error);
  return *peer;
}

// Why `text` is not a multiaddr (the parser's message names it); empty when it is one.
std::string address_error(const std::string& text) {
  std::string error;
  return multiaddr::Multiaddr::parse(text, &error) ? std::string() : error;
}

// A bootstrap address; `source` names where it came from.
multiaddr::Multiaddr bootstrap_address(const std::string& text, const char* source) {
  std::string error;
  auto address = multiaddr::Multiaddr::parse(text, &error);
  if (!address) throw std::runtime_error(std::string(source) + ": " + error);
  return *address;
}

// Why `protocol` is no kad protocol id, naming it; empty when it is one.
std::string kad_protocol_error(const std::string& protocol) {
  std::string error;
  if (!protocol.starts_with('/')) error = "a protocol id starts with '/'";
  else multistream::check_protocol_id(protocol, &error);
  return error.empty() ? error : "'" + protocol + "': " + error;
}

// Whether a peer on the mDNS link could dial listen address `text` (mDNS
// here is IPv4: loopback and IPv6 addresses are not announced).
bool dialable_from_link(const std::string& text) {
  return !text.starts_with("/ip4/127.") && !text.starts_with("/ip6/");
}

bool starts_with(const std::vector<uint8_t>& key, std::string_view prefix) {
  return key.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), key.begin());
}

// The value `put` stores: /prowl/ values signed with our key (the sequence
// is the time in milliseconds, so a later put wins), /pk/ values from hex.
std::vector<uint8_t> value_for(const identity::KeyPair& key_pair, const std::vector<uint8_t>& key,
                               const std::string& text) {
  if (starts_with(key, "/pk/")) {
    auto decoded = encoding::hex_decode(text);
    if (!decoded) throw std::runtime_error("VALUE: a /pk/ value is the public key protobuf in hex");
    return *decoded;
  }
  std::vector<uint8_t> value(text.begin(), text.end());
  if (!starts_with(key, "/prowl/")) return value;
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  return kad::SignedValue::sign(key_pair, key, std::move(value), static_cast<uint64_t>(ms.count())).encode();
}

void write_value(JsonWriter& w, const std::vector<uint8_t>& key, const std::vector<uint8_t>& value) {
  write_string(w, "valueHex", encoding::hex_encode(value));
  std::vector<uint8_t> shown = value;
  if (starts_with(key, "/prowl/")) {
    if (auto signed_value = kad::SignedValue::decode(value)) {
      shown = signed_value->value();
      w.Key("sequence");
      w.Uint64(signed_value->sequence());
      write_string(w, "publisher", identity::PeerId::from_public_key(signed_value->publisher()).to_string());
    }
  }
  if (!starts_with(key, "/pk/") && encoding::valid_utf8(shown))
    write_string(w, "value", std::string(shown.begin(), shown.end()));
}

struct OneShot {
  std::array<std::string, 2> slots;  // the operands as parsed
  std::vector<std::string> operands;
  std::vector<std::string> bootstrap;
  std::string seed;
  std::string protocol;
  size_t max_message_bytes = kad::kMaxMessageBytes;
  int timeout_seconds = 30;
  int count = static_cast<int>(kad::kBucketSize);
};

// Checks the operand that names a key or peer, so a typo fails before any dialing.
void check_operand(const std::string& op, const std::vector<std::string>& operands) {
  if (op == "find-peer") {
    peer_flag(operands.at(0));
  } else {
    key_flag(operands.at(0));
  }
}

// Joins the DHT through the bootstrap peers in client mode, runs command
// `op` and prints its JSON line.
void run_one_shot(const DialerRunner& run_dialer, const OneShot& flags, const std::string& op) {
  check_operand(op, flags.operands);
  std::vector<multiaddr::Multiaddr> peers;
  for (const auto& text : flags.bootstrap) peers.push_back(bootstrap_address(text, "--bootstrap"));
  run_dialer(flags.seed, flags.timeout_seconds,
             [&](swarm::Swarm& swarm, protocols::PeerStore& store,
                 protocols::IdentifyService& identify) -> asio::awaitable<void> {
               DhtConfig config;
               config.protocol = flags.protocol;
               config.max_message_bytes = flags.max_message_bytes;
               config.server = false;
               config.query.query_timeout = std::chrono::seconds(flags.timeout_seconds);
               DhtService dht(co_await asio::this_coro::executor, swarm, store, identify, config);
               dht.start();
               std::string failures;
               for (const auto& address : peers) {
                 try {
                   const identity::PeerId peer = co_await swarm.dial(address);
                   dht.add_addresses(peer, {address});
                 } catch (const std::exception& e) {
                   failures += std::string(failures.empty() ? "" : "; ") + e.what();
                 }
               }
               if (swarm.connections().empty())
                 throw std::runtime_error("no bootstrap peer reachable: " + failures);
               co_await dht.bootstrap();
               const std::string line =
                   co_await run_dht_command(dht, swarm.identity(), op, flags.operands, static_cast<size_t>(flags.count));
               print_line(line);
             });
}

struct Subcommand {
  const char* name;
  const char* operands;  // space-separated operand names
  const char* description;
};

constexpr Subcommand kSubcommands[] = {
    {"get", "KEY", "print the best value stored under KEY"},
    {"put", "KEY VALUE", "store VALUE under KEY (/prowl/<our id>/<name>, or /pk/<our id> with hex) on the closest peers"},
    {"provide", "KEY", "announce us as a provider of KEY (0x<hex> for a CID's multihash)"},
    {"find-providers", "KEY", "print the providers of KEY"},
    {"find-peer", "PEERID", "print the addresses of PEERID"},
    {"closest", "KEY", "print the k peers closest to KEY"},
};

}  // namespace

asio::awaitable<std::string> run_dht_command(DhtService& dht, const identity::KeyPair& key_pair, const std::string& op,
                                             const std::vector<std::string>& operands, size_t max_providers) {
  auto operand = [&](size_t i) -> const std::string& {
    if (i >= operands.size()) throw std::runtime_error("dht " + op + ": missing operand " + std::to_string(i + 1));
    return operands[i];
  };
  if (op == "find-peer") {
    const auto found = co_await dht.find_peer(peer_flag(operand(0)));
    co_return json_line([&](JsonWriter& w) { write_peer(w, found); });
  }
  const auto key = key_flag(operand(0));
  if (op == "get") {
    const auto value = co_await dht.get_value(key);
    co_return json_line([&](JsonWriter& w) {
      write_string(w, "key", key_text(key));
      write_value(w, key, value);
    });
  }
  if (op == "put") {
    const size_t stored = co_await dht.put_value(key, value_for(key_pair, key, operand(1)));
    co_return json_line([&](JsonWriter& w) {
      write_string(w, "key", key_text(key));
      w.Key("stored");
      w.Uint64(stored);
    });
  }
  if (op == "provide") {
    const size_t told = co_await dht.provide(key);
    co_return json_line([&](JsonWriter& w) {
      write_string(w, "key", key_text(key));
      w.Key("told");
      w.Uint64(told);
    });
  }
  if (op == "find-providers") {
    const auto found = co_await dht.find_providers(key, max_providers);
    co_return json_line([&](JsonWriter& w) {
      write_string(w, "key", key_text(key));
      write_peers(w, "providers", found);
    });
  }
  if (op == "closest") {
    const auto peers = co_await dht.closest_peers(key);
    co_return json_line([&](JsonWriter& w) {
      write_string(w, "key", key_text(key));
      write_peers(w, "peers", peers);
    });
  }
  throw std::runtime_error("unknown dht command '" + op + "'");
}

void check_kad_protocol(const std::string& protocol, const std::string& source) {
  if (std::string error = kad_protocol_error(protocol); !error.empty()) throw std::runtime_error(source + " " + error);
}

void add_dht_commands(CLI::App& app, int& exit_code, DialerRunner run_dialer, ProtocolSource default_protocol,
                      MessageLimitSource max_message_bytes) {
  CLI::App* dht = app.add_subcommand("dht", "query the Kademlia DHT through bootstrap peers");
  dht->require_subcommand(1);
  auto runner = std::make_shared<DialerRunner>(std::move(run_dialer));
  auto flags = std::make_shared<OneShot>();
  for (const Subcommand& sub : kSubcommands) {
    CLI::App* cmd = dht->add_subcommand(sub.name, sub.description);
    const std::string names = sub.operands;
    size_t arity = 0;
    for (size_t start = 0; start < names.size(); ++arity) {
      const size_t end = std::min(names.find(' ', start), names.size());
      const std::string name = names.substr(start, end - start);
      cmd->add_option(name, flags->slots.at(arity), name == "VALUE" ? "the value" : "the " + name)->required();
      start = end + 1;
    }
    cmd->add_option("--bootstrap", flags->bootstrap, "multiaddr of a DHT peer to join through (repeatable)")
        ->required();
    cmd->add_option("--key", flags->seed, "Ed25519 seed of our identity, 64 hex digits (default: a fresh key)");
    cmd->add_option("--timeout", flags->timeout_seconds, "give up after this many seconds")
        ->check(CLI::Range(1, 86400));
    cmd->add_option("--kad-protocol", flags->protocol, "the kad protocol id (default: config network.kad_protocol)");
    if (std::string_view(sub.name) == "find-providers")
      cmd->add_option("--count", flags->count, "at most this many providers")->check(CLI::Range(1, 1000));
    cmd->callback([runner, flags, default_protocol, max_message_bytes, arity, op = std::string(sub.name),
                   &exit_code] {
      if (max_message_bytes) flags->max_message_bytes = max_message_bytes();
      if (flags->protocol.empty()) {
        flags->protocol = default_protocol();
        check_kad_protocol(flags->protocol, "network.kad_protocol");
      } else {
        check_kad_protocol(flags->protocol, "--kad-protocol");
      }
      flags->operands.assign(flags->slots.begin(), flags->slots.begin() + static_cast<std::ptrdiff_t>(arity));
      run_one_shot(*runner, *flags, op);
      exit_code = 0;
    });
  }
}

std::shared_ptr<RunDhtFlags> add_run_dht_options(CLI::App& run) {
  auto flags = std::make_shared<RunDhtFlags>();
  // Checked as they parse, so a bad value stops `prowl run` before it listens.
  run.add_option("--bootstrap", flags->bootstrap, "multiaddr of a DHT peer to keep connected (repeatable)")
      ->check(CLI::Validator([](std::string& text) { return address_error(text); }, "MULTIADDR"));
  run.add_flag("--no-mdns", flags->no_mdns, "do not discover peers with mDNS");
  run.add_option("--mdns-interface", flags->mdns_interface, "the interface mDNS runs on");
  run.add_option("--kad-protocol", flags->kad_protocol, "the kad protocol id (default: network.kad_protocol)")
      ->check(CLI::Validator([](std::string& id) { return kad_protocol_error(id); }, "ID"));
  run.add_flag("--kad-client", flags->kad_client, "query the DHT without answering it");
  return flags;
}

RunDhtSettings run_dht_settings(const config::Config& config, std::filesystem::path data_dir) {
  RunDhtSettings settings;
  settings.kad_protocol = config.get_string("network.kad_protocol");
  settings.max_message_bytes = static_cast<size_t>(config.get_integer("network.limits.max_kad_message_bytes"));
  settings.max_records_per_publisher =
      static_cast<size_t>(config.get_integer("network.limits.max_kad_records_per_publisher"));
  settings.kad_mode = config.get_string("network.kad_mode");
  settings.bootstrap = config.get_string_list("network.bootstrap");
  settings.mdns = config.get_string("network.mdns");
  settings.mdns_interface = config.get_string("network.mdns_interface");
  settings.data_dir = std::move(data_dir);
  return settings;
}

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

RunDht::RunDht(asio::any_io_executor executor, swarm::Swarm& swarm, protocols::PeerStore& peers,
               protocols::IdentifyService& identify, const RunDhtSettings& settings, const RunDhtFlags& flags) {
  auto log = log::get_logger("dht");
  DhtConfig config;
  config.protocol = flags.kad_protocol.empty() ? settings.kad_protocol : flags.kad_protocol;
  check_kad_protocol(config.protocol, flags.kad_protocol.empty() ? "network.kad_protocol" : "--kad-protocol");
  config.server = !flags.kad_client && settings.kad_mode != "client";
  config.max_message_bytes = settings.max_message_bytes;
  config.records.max_records_per_publisher = settings.max_records_per_publisher;
  config.data_dir = settings.data_dir;
  std::vector<multiaddr::Multiaddr> bootstrap;
  for (const auto& text : settings.bootstrap) bootstrap.push_back(bootstrap_address(text, "network.bootstrap"));
  for (const auto& text : flags.bootstrap) bootstrap.push_back(bootstrap_address(text, "--bootstrap"));

  // Everything that can fail comes before anything starts, so a throw leaves nothing running.
  service_ = std::make_unique<DhtService>(executor, swarm, peers, identify, config);
  DhtService* dht = service_.get();
  // A new connection to a bootstrap or mDNS peer: learn its address and rejoin.
  auto rejoin = [dht, executor](const identity::PeerId& peer, const std::vector<multiaddr::Multiaddr>& addresses) {
    dht->add_addresses(peer, addresses);
    asio::co_spawn(executor, dht->bootstrap(), [](std::exception_ptr, size_t) {});
  };
  create_mdns(executor, swarm, settings, flags, rejoin);

  service_->start();
  if (!bootstrap.empty()) {
    bootstrapper_ = discovery::Bootstrapper::create(
        executor, swarm, std::move(bootstrap), discovery::BootstrapConfig{},
        [rejoin](const identity::PeerId& peer, const multiaddr::Multiaddr& address) { rejoin(peer, {address}); });
    bootstrapper_->start();
  }
  if (mdns_) mdns_->start();
}

void RunDht::create_mdns(asio::any_io_executor executor, swarm::Swarm& swarm, const RunDhtSettings& settings,
                         const RunDhtFlags& flags, const Found& found) {
  if (flags.no_mdns || settings.mdns == "off") return;
  auto log = log::get_logger("dht");
  const auto listening = swarm.listen_addresses();
  if (std::none_of(listening.begin(), listening.end(), [](const multiaddr::Multiaddr& a) {
        return dialable_from_link(a.to_string());
      })) {
    log->info("mDNS off: listening on loopback only, nothing a peer on the link could dial");
    return;
  }
  const bool named = !flags.mdns_interface.empty() || !settings.mdns_interface.empty();
  const std::string interface = !flags.mdns_interface.empty()     ? flags.mdns_interface
                                : !settings.mdns_interface.empty() ? settings.mdns_interface
                                                                   : default_mdns_interface();
  if (interface.empty()) {
    log->warn("mDNS off: no multicast-capable IPv4 interface (name one with --mdns-interface)");
    return;
  }
  auto dialer = discovery::MdnsDialer::create(executor, swarm, discovery::MdnsDialLimits{}, found);
  try {
    mdns_ = mdns::MdnsService::create(
        executor,
        mdns::MdnsDiscovery(swarm.local_peer(), mdns::random_peer_name(), mdns::MdnsConfig{},
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

RunDht::~RunDht() {
  if (mdns_) mdns_->stop();
  if (mdns_dialer_) mdns_dialer_->stop();
  if (bootstrapper_) bootstrapper_->stop();
  service_->stop();
}

}  // namespace prowl::dht
