#include "host/app/dht_commands.h"

#include <boost/asio/this_coro.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <stdexcept>
#include <utility>

#include "host/base/encoding/hex.h"
#include "host/base/encoding/utf8.h"
#include "host/base/multiaddr/multiaddr.h"
#include "host/node/node.h"
#include "host/services/dht/key_text.h"
#include "host/services/dht/prowl_record.h"
#include "host/services/discovery/bootstrapper.h"
#include "host/swarm/swarm.h"
#include "host/wire/kad/signed_value.h"

namespace prowl::cli {
namespace asio = boost::asio;
using dht::DhtService;

namespace {

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
  auto key = dht::parse_key(text, &error);
  if (!key) throw std::runtime_error("KEY: " + error);
  return *key;
}

identity::PeerId peer_flag(const std::string& text) {
  std::string error;
  auto peer = identity::PeerId::from_string(text, &error);
  if (!peer) throw std::runtime_error("PEERID: " + error);
  return *peer;
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
  return dht::stored_value(key_pair, key, std::vector<uint8_t>(text.begin(), text.end()));
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

// Joins the DHT through the bootstrap peers on a client-mode node, runs
// command `op` and prints its JSON line.
void run_one_shot(const ClientRunner& runner, const Context& context, const OneShot& flags, const std::string& op) {
  check_operand(op, flags.operands);
  const std::vector<multiaddr::Multiaddr> peers = discovery::parse_bootstrap_addresses(flags.bootstrap, "--bootstrap");
  node::NodeConfig config = client_node(context, flags.seed);
  config.dht.enabled = true;
  if (!flags.protocol.empty()) config.dht.service.protocol = flags.protocol;
  node::check_kad_protocol(config.dht.service.protocol,
                           flags.protocol.empty() ? "network.kad_protocol" : "--kad-protocol");
  config.dht.service.query.query_timeout = std::chrono::seconds(flags.timeout_seconds);
  runner(std::move(config), flags.timeout_seconds, [&](node::Node& node) -> asio::awaitable<void> {
    DhtService& dht = *node.dht();
    std::string failures;
    for (const auto& address : peers) {
      try {
        const identity::PeerId peer = co_await node.swarm().dial(address);
        dht.add_addresses(peer, {address});
      } catch (const std::exception& e) {
        failures += std::string(failures.empty() ? "" : "; ") + e.what();
      }
    }
    if (node.swarm().connections().empty()) throw std::runtime_error("no bootstrap peer reachable: " + failures);
    co_await dht.bootstrap();
    const std::string line =
        co_await run_dht_command(dht, node.config().key, op, flags.operands, static_cast<size_t>(flags.count));
    print_line(line);
  });
}

struct Subcommand {
  const char* name;
  const char* operands;  // space-separated operand names
  const char* description;
};

constexpr Subcommand kSubcommands[] = {
    {"get", "KEY", "Print the best value stored under KEY"},
    {"put", "KEY VALUE", "Store VALUE under KEY (/prowl/<our id>/<name>, or /pk/<our id> with hex) on the closest peers"},
    {"provide", "KEY", "Announce us as a provider of KEY (0x<hex> for a CID's multihash)"},
    {"find-providers", "KEY", "Print the providers of KEY"},
    {"find-peer", "PEERID", "Print the addresses of PEERID"},
    {"closest", "KEY", "Print the k peers closest to KEY"},
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
      write_string(w, "key", dht::key_text(key));
      write_value(w, key, value);
    });
  }
  if (op == "put") {
    const size_t stored = co_await dht.put_value(key, value_for(key_pair, key, operand(1)));
    co_return json_line([&](JsonWriter& w) {
      write_string(w, "key", dht::key_text(key));
      w.Key("stored");
      w.Uint64(stored);
    });
  }
  if (op == "provide") {
    const size_t told = co_await dht.provide(key);
    co_return json_line([&](JsonWriter& w) {
      write_string(w, "key", dht::key_text(key));
      w.Key("told");
      w.Uint64(told);
    });
  }
  if (op == "find-providers") {
    const auto found = co_await dht.find_providers(key, max_providers);
    co_return json_line([&](JsonWriter& w) {
      write_string(w, "key", dht::key_text(key));
      write_peers(w, "providers", found);
    });
  }
  if (op == "closest") {
    const auto peers = co_await dht.closest_peers(key);
    co_return json_line([&](JsonWriter& w) {
      write_string(w, "key", dht::key_text(key));
      write_peers(w, "peers", peers);
    });
  }
  throw std::runtime_error("unknown dht command '" + op + "'");
}

void add_dht_commands(CLI::App& app, Context& context, int& exit_code, ClientRunner runner) {
  CLI::App* dht = app.add_subcommand("dht", "Query the Kademlia DHT through bootstrap peers");
  dht->require_subcommand(1);
  auto shared_runner = std::make_shared<ClientRunner>(std::move(runner));
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
    cmd->callback([shared_runner, flags, arity, op = std::string(sub.name), &context, &exit_code] {
      context.init();
      flags->operands.assign(flags->slots.begin(), flags->slots.begin() + static_cast<std::ptrdiff_t>(arity));
      run_one_shot(*shared_runner, context, *flags, op);
      exit_code = 0;
    });
  }
}

}  // namespace prowl::cli
