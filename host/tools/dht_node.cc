// dht_node: a DHT host for the js-libp2p interop test, which drives it
// through stdin and reads its routing table. It runs what `prowl run` runs for
// the DHT -- a swarm on TCP with identify and RunDht (DhtService persisted
// in --data-dir, bootstrap peers with backoff, mDNS with --mdns-interface) --
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

#include <algorithm>
#include <array>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "host/app/dht_commands.h"
#include "host/base/encoding/hex.h"
#include "host/base/identity/key_pair.h"
#include "host/services/protocols/identify/identify_service.h"
#include "host/wire/identify/peer_store.h"
#include "host/services/protocols/ping/ping.h"
#include "host/swarm/swarm.h"
#include "transports/tcp/tcp_transport.h"
#include "host/base/log/log.h"

namespace {

namespace asio = boost::asio;
using namespace prowl;

void print_line(const std::string& line) {
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

std::string error_json(const std::string& message) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("error");
  w.String(message.data(), static_cast<rapidjson::SizeType>(message.size()));
  w.EndObject();
  return buffer.GetString();
}

std::string table_json(const kad::RoutingTable& table) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("size");
  w.Uint64(table.size());
  w.Key("peers");
  w.StartArray();
  for (size_t i = 0; i < 256; ++i) {
    for (const auto& entry : table.bucket(i)) w.String(entry.peer.to_string().c_str());
  }
  w.EndArray();
  w.EndObject();
  return buffer.GetString();
}

struct Flags {
  std::vector<std::string> listen{"/ip4/127.0.0.1/tcp/0"};
  std::string seed;
  std::string data_dir;
  dht::RunDhtFlags run;
};

asio::awaitable<void> serve(const Flags& flags, const identity::KeyPair& key) {
  auto executor = co_await asio::this_coro::executor;
  swarm::Swarm swarm(executor, key, swarm::SwarmConfig{});
  swarm.add_transport(std::make_unique<transport::TcpTransport>(executor));
  protocols::PeerStore peers;
  protocols::IdentifyService identify(swarm, peers, "prowl-dht-node");
  std::exception_ptr failure;
  try {
    std::vector<multiaddr::Multiaddr> bound;
    for (const auto& text : flags.listen) {
      std::string error;
      auto address = multiaddr::Multiaddr::parse(text, &error);
      if (!address) throw std::runtime_error("--listen " + text + ": " + error);
      bound.push_back(co_await swarm.listen(*address));
    }
    dht::RunDhtSettings settings;
    settings.data_dir = flags.data_dir;
    settings.mdns = flags.run.mdns_interface.empty() ? "off" : "on";
    dht::RunDht run(executor, swarm, peers, identify, settings, flags.run);
    // js-libp2p pings a peer with /ipfs/ping/1.0.0 before adding it to its routing table.
    swarm.set_handler(std::string(protocols::kPingProtocol),
                      [](std::shared_ptr<swarm::Stream> stream) -> asio::awaitable<void> {
                        co_await protocols::serve_ping(*stream);
                      });
    identify.install();
    for (const auto& address : bound) print_line(address.to_string());
    print_line("ready");

    asio::posix::stream_descriptor input(executor, ::dup(STDIN_FILENO));
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
        print_line(table_json(run.service().routing_table()));
        continue;
      }
      try {
        print_line(co_await dht::run_dht_command(run.service(), key, op, operands));
      } catch (const std::exception& e) {
        print_line(error_json(e.what()));
      }
    }
  } catch (...) {
    failure = std::current_exception();
  }
  co_await swarm.shutdown();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"a DHT host driven through stdin, for tests"};
  Flags flags;
  app.add_option("--listen", flags.listen, "multiaddr to listen on (repeatable)");
  app.add_option("--key", flags.seed, "Ed25519 seed, 64 hex digits (default: a fresh key)");
  app.add_option("--data-dir", flags.data_dir, "where kad.sqlite lives (default: memory only)");
  app.add_option("--bootstrap", flags.run.bootstrap, "multiaddr of a peer to keep connected (repeatable)");
  app.add_option("--mdns-interface", flags.run.mdns_interface, "run mDNS on this interface (default: no mDNS)");
  app.add_option("--kad-protocol", flags.run.kad_protocol, "the kad protocol id")
      ->default_str(std::string(dht::kDefaultProtocol));
  app.add_flag("--kad-client", flags.run.kad_client, "query the DHT without answering it");
  std::string level = "info";
  app.add_option("--log-level", level, "trace, debug, info, warn or error")->default_str("info");
  CLI11_PARSE(app, argc, argv);
  const auto parsed_level = log::parse_level(level);
  if (!parsed_level) {
    std::cerr << "--log-level: \"" << level << "\" is not one of trace|debug|info|warn|error\n";
    return 2;
  }
  log::configure(*parsed_level, log::Format::kText);

  identity::KeyPair key = identity::KeyPair::generate();
  if (!flags.seed.empty()) {
    auto bytes = encoding::hex_decode(flags.seed);
    if (!bytes || bytes->size() != 32) {
      std::cerr << "--key: expected 64 hex digits\n";
      return 2;
    }
    std::array<uint8_t, 32> seed{};
    std::copy(bytes->begin(), bytes->end(), seed.begin());
    key = identity::KeyPair::from_seed(seed);
  }
  asio::io_context io;
  int status = 0;
  asio::co_spawn(io, serve(flags, key), [&status](std::exception_ptr e) {
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
