// dht_node: a DHT host for the js-libp2p interop test, which drives it
// through stdin and reads its routing table. It runs the node `prowl run`
// runs, without gossipsub -- a node::Node listening on TCP with identify and
// the DHT (persisted in --data-dir, bootstrap peers with backoff, mDNS with
// --mdns-interface) --
// prints each listen address, then "ready", then answers one command per
// stdin line with one JSON line on stdout:
//   get KEY | put KEY VALUE | provide KEY | find-providers KEY |
//   find-peer PEERID | closest KEY      as `prowl dht ...` prints them
//   table                               {"size":N,"peers":["<id>",...]}
// A failed command prints {"error":"..."}. Exits 0 when stdin closes.
#include <CLI/CLI.hpp>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <unistd.h>

#include <exception>
#include <optional>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "host/app/cli_support.h"
#include "host/app/dht_commands.h"
#include "host/base/log/log.h"
#include "host/node/node.h"
#include "host/services/discovery/bootstrapper.h"

namespace {

namespace asio = boost::asio;
using namespace prowl;
using cli::print_line;

std::string error_json(const std::string& message) {
  return cli::json_line([&](cli::JsonWriter& w) {
    w.Key("error");
    w.String(message.data(), static_cast<rapidjson::SizeType>(message.size()));
  });
}

std::string table_json(const kad::RoutingTable& table) {
  return cli::json_line([&](cli::JsonWriter& w) {
    w.Key("size");
    w.Uint64(table.size());
    w.Key("peers");
    w.StartArray();
    for (size_t i = 0; i < 256; ++i) {
      for (const auto& entry : table.bucket(i)) w.String(entry.peer.to_string().c_str());
    }
    w.EndArray();
  });
}

struct Flags {
  std::vector<std::string> listen{"/ip4/127.0.0.1/tcp/0"};
  std::string seed;
  std::string data_dir;
  std::vector<std::string> bootstrap;
  std::string mdns_interface;
  std::string kad_protocol = std::string(dht::kDefaultProtocol);
  bool kad_client = false;
};

// The node: TCP (and WebSocket) listeners, identify, the DHT; no gossipsub.
node::NodeConfig node_config(const Flags& flags, identity::KeyPair key) {
  node::NodeConfig config(std::move(key));
  for (const auto& text : flags.listen) config.listen.push_back(cli::parse_address_flag(text, "--listen"));
  node::check_kad_protocol(flags.kad_protocol, "--kad-protocol");
  config.dht.service.protocol = flags.kad_protocol;
  config.dht.service.server = !flags.kad_client;
  config.dht.service.data_dir = flags.data_dir;
  config.dht.bootstrap = discovery::parse_bootstrap_addresses(flags.bootstrap, "--bootstrap");
  config.dht.mdns = !flags.mdns_interface.empty();
  config.dht.mdns_interface = flags.mdns_interface;
  config.pubsub.enabled = false;
  return config;
}

// Answers the stdin commands until stdin closes.
asio::awaitable<void> serve_commands(node::Node& node) {
  asio::posix::stream_descriptor input(co_await asio::this_coro::executor, ::dup(STDIN_FILENO));
  std::string buffer;
  for (;;) {
    boost::system::error_code ec;
    const size_t n = co_await asio::async_read_until(input, asio::dynamic_buffer(buffer), '\n',
                                                     asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;
    std::istringstream line(buffer.substr(0, n - 1));
    buffer.erase(0, n);
    std::string op;
    line >> op;
    if (op.empty()) continue;
    std::vector<std::string> operands;
    for (std::string word; line >> word;) operands.push_back(word);
    if (op == "table") {
      print_line(table_json(node.dht()->routing_table()));
      continue;
    }
    try {
      print_line(co_await cli::run_dht_command(*node.dht(), node.config().key, op, operands));
    } catch (const std::exception& e) {
      print_line(error_json(e.what()));
    }
  }
}

asio::awaitable<void> serve(node::Node& node) {
  std::exception_ptr failure;
  try {
    const std::vector<multiaddr::Multiaddr> bound = co_await node.start();
    for (const auto& address : bound) print_line(address.to_string());
    print_line("ready");
    co_await serve_commands(node);
  } catch (...) {
    failure = std::current_exception();
  }
  co_await node.stop();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"a DHT host driven through stdin, for tests"};
  Flags flags;
  app.add_option("--listen", flags.listen, "multiaddr to listen on (repeatable)");
  app.add_option("--key", flags.seed, "Ed25519 seed, 64 hex digits (default: a fresh key)");
  app.add_option("--data-dir", flags.data_dir, "where kad.sqlite lives (default: memory only)");
  app.add_option("--bootstrap", flags.bootstrap, "multiaddr of a peer to keep connected (repeatable)");
  app.add_option("--mdns-interface", flags.mdns_interface, "run mDNS on this interface (default: no mDNS)");
  app.add_option("--kad-protocol", flags.kad_protocol, "the kad protocol id")
      ->default_str(std::string(dht::kDefaultProtocol));
  app.add_flag("--kad-client", flags.kad_client, "query the DHT without answering it");
  std::string level = "info";
  app.add_option("--log-level", level, "trace, debug, info, warn or error")->default_str("info");
  CLI11_PARSE(app, argc, argv);
  const auto parsed_level = log::parse_level(level);
  if (!parsed_level) {
    std::cerr << "--log-level: \"" << level << "\" is not one of trace|debug|info|warn|error\n";
    return 2;
  }
  log::configure(*parsed_level, log::Format::kText);

  std::optional<node::NodeConfig> config;
  try {
    config.emplace(node_config(flags, cli::key_from_seed_flag(flags.seed)));
  } catch (const std::exception& e) {
    std::cerr << "dht_node: " << e.what() << "\n";
    return 2;
  }
  asio::io_context io;
  node::Node node(io.get_executor(), std::move(*config));
  int status = 0;
  asio::co_spawn(io, serve(node), [&status](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      std::cerr << "dht_node: " << ex.what() << "\n";
      status = 1;
    }
  });
  io.run();
  return status;
}
