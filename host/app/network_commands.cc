#include "host/app/network_commands.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <unistd.h>

#include <array>
#include <csignal>
#include <cstdio>
#include <exception>
#include <optional>
#include <utility>

#include "host/app/cli_support.h"
#include "host/base/encoding/hex.h"
#include "host/base/log/log.h"
#include "host/node/node.h"
#include "host/services/protocols/perf/perf.h"
#include "host/services/protocols/ping/ping.h"

namespace prowl::cli {
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

// Named protocol lists: GCC 12 miscompiles a braced list in a co_await argument.
const std::vector<std::string> kPing{std::string(protocols::kPingProtocol)};
const std::vector<std::string> kPerf{std::string(protocols::kPerfProtocol)};

/// Flags every dialing command takes.
struct DialFlags {
  std::string address;
  std::string key;
  int timeout_seconds = 30;
};

CLI::App* add_dial_command(CLI::App& app, const char* name, const char* description,
                           DialFlags& flags) {
  CLI::App* cmd = app.add_subcommand(name, description);
  cmd->add_option("ADDR", flags.address, "the peer's multiaddr; a /p2p/<id> suffix is verified")
      ->required();
  cmd->add_option("--key", flags.key, "Ed25519 seed of our identity, 64 hex digits (default: a fresh key)");
  cmd->add_option("--timeout", flags.timeout_seconds, "give up after this many seconds")
      ->check(CLI::Range(1, 86400));
  return cmd;
}

/// Runs `body` on a client-mode node with the flags' key and timeout and the
/// configured limits (see client_node, run_client).
void run_dial_command(const Context& context, const DialFlags& flags, const ClientBody& body) {
  run_client(client_node(context, flags.key), flags.timeout_seconds, body);
}

/// Runs `body(n)` for n in [0, count) concurrently; returns each one's failure (or null).
asio::awaitable<std::vector<std::exception_ptr>> for_all(
    size_t count, const std::function<asio::awaitable<void>(size_t)>& body) {
  auto executor = co_await asio::this_coro::executor;
  std::vector<std::exception_ptr> failures(count);
  size_t left = count;
  asio::steady_timer latch(executor);
  for (size_t i = 0; i < count; ++i) {
    asio::co_spawn(executor, body(i), [&, i](std::exception_ptr e) {
      failures[i] = e;
      if (--left == 0) latch.cancel();
    });
  }
  while (left > 0) {
    latch.expires_at(asio::steady_timer::time_point::max());
    boost::system::error_code ignored;
    co_await latch.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
  co_return failures;
}

std::string message_of(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& x) {
    return x.what();
  }
}

void write_string_array(JsonWriter& w, const char* key, const std::vector<std::string>& items) {
  w.Key(key);
  w.StartArray();
  for (const auto& item : items) w.String(item);
  w.EndArray();
}

void write_optional(JsonWriter& w, const char* key, const std::optional<std::string>& value) {
  w.Key(key);
  if (value) {
    w.String(*value);
  } else {
    w.Null();
  }
}

void add_ping_command(CLI::App& app, Context& context, int& exit_code) {
  auto flags = std::make_shared<DialFlags>();
  auto count = std::make_shared<int>(5);
  auto stream_per_ping = std::make_shared<bool>(false);
  CLI::App* cmd = add_dial_command(app, "ping", "Measure round trips to a peer with /ipfs/ping/1.0.0", *flags);
  cmd->add_option("--count", *count, "number of round trips")->check(CLI::Range(1, 1000000));
  cmd->add_flag("--stream-per-ping", *stream_per_ping, "open a new stream for every round trip");
  cmd->callback([&context, &exit_code, flags, count, stream_per_ping] {
    context.init();
    const auto target = parse_address_flag(flags->address, "ADDR");
    run_dial_command(context, *flags, [&](node::Node& node) -> asio::awaitable<void> {
      const identity::PeerId peer = co_await node.swarm().dial(target);
      const std::string peer_text = peer.to_string();
      std::vector<double> rtts;
      std::shared_ptr<swarm::Stream> stream;
      for (int seq = 1; seq <= *count; ++seq) {
        if (!stream) stream = co_await node.swarm().open_stream(peer, kPing);
        protocols::PingClient client(*stream);
        const double ms = to_ms(co_await client.round_trip());
        rtts.push_back(ms);
        print_json_line([&](JsonWriter& w) {
          w.Key("type");
          w.String("ping");
          w.Key("peer");
          w.String(peer_text);
          w.Key("seq");
          w.Int(seq);
          w.Key("rttMs");
          w.Double(ms);
        });
        if (*stream_per_ping || seq == *count) {
          co_await client.finish();
          stream.reset();
        }
      }
      print_json_line([&](JsonWriter& w) {
        w.Key("type");
        w.String("summary");
        write_summary(w, rtts);
      });
    });
    exit_code = 0;
  });
}

void add_identify_command(CLI::App& app, Context& context, int& exit_code) {
  auto flags = std::make_shared<DialFlags>();
  CLI::App* cmd = add_dial_command(app, "identify", "Print a peer's /ipfs/id/1.0.0 record as JSON", *flags);
  cmd->callback([&context, &exit_code, flags] {
    context.init();
    const auto target = parse_address_flag(flags->address, "ADDR");
    run_dial_command(context, *flags, [&](node::Node& node) -> asio::awaitable<void> {
      const identity::PeerId peer = co_await node.swarm().dial(target);
      const protocols::IdentifyRecord r = co_await node.identify().identify(peer);
      std::string remote_address;
      for (const auto& c : node.swarm().connections()) {
        if (c.peer == peer) remote_address = c.remote_address.to_string();
      }
      print_json_line([&](JsonWriter& w) {
        w.Key("peerId");
        w.String(peer.to_string());
        write_string_array(w, "protocols", r.protocols);
        std::vector<std::string> addresses;
        for (const auto& a : r.listen_addrs) addresses.push_back(a.to_string());
        write_string_array(w, "listenAddrs", addresses);
        write_optional(w, "observedAddr",
                       r.observed_addr ? std::optional(r.observed_addr->to_string()) : std::nullopt);
        write_optional(w, "agentVersion", r.agent_version);
        write_optional(w, "protocolVersion", r.protocol_version);
        write_optional(w, "publicKey",
                       r.public_key ? std::optional(encoding::hex_encode(*r.public_key)) : std::nullopt);
        write_optional(w, "signedPeerRecord",
                       r.signed_peer_record ? std::optional(encoding::hex_encode(*r.signed_peer_record))
                                            : std::nullopt);
        w.Key("connection");
        w.StartObject();
        w.Key("remoteAddr");
        w.String(remote_address);
        w.Key("encryption");
        w.String("/noise");
        w.Key("multiplexer");
        w.String("/yamux/1.0.0");
        w.EndObject();
      });
    });
    exit_code = 0;
  });
}

void print_perf_report(const protocols::PerfReport& r) {
  print_json_line([&](JsonWriter& w) {
    w.Key("type");
    w.String(r.final ? "final" : "intermediary");
    w.Key("timeSeconds");
    w.Double(r.seconds);
    w.Key("uploadBytes");
    w.Uint64(r.upload_bytes);
    w.Key("downloadBytes");
    w.Uint64(r.download_bytes);
  });
}

void add_perf_command(CLI::App& app, Context& context, int& exit_code) {
  auto flags = std::make_shared<DialFlags>();
  auto request = std::make_shared<protocols::PerfRequest>();
  CLI::App* cmd = add_dial_command(app, "perf", "Measure throughput with /perf/1.0.0", *flags);
  cmd->add_option("--upload-bytes", request->upload_bytes, "bytes to send")->required();
  cmd->add_option("--download-bytes", request->download_bytes, "bytes to ask back")->required();
  cmd->add_flag("--check-content", request->check_pattern,
                "verify the downloaded bytes carry prowl's pattern (only a prowl server sends it)");
  cmd->callback([&context, &exit_code, flags, request] {
    context.init();
    const auto target = parse_address_flag(flags->address, "ADDR");
    run_dial_command(context, *flags, [&](node::Node& node) -> asio::awaitable<void> {
      protocols::PerfRequest r = *request;
      r.start = Clock::now();  // like the libp2p perf harness, the time includes the dial
      const identity::PeerId peer = co_await node.swarm().dial(target);
      auto stream = co_await node.swarm().open_stream(peer, kPerf);
      co_await protocols::run_perf(*stream, r, print_perf_report);
    });
    exit_code = 0;
  });
}

void add_streams_command(CLI::App& app, Context& context, int& exit_code) {
  auto flags = std::make_shared<DialFlags>();
  auto count = std::make_shared<size_t>(100);
  auto bytes = std::make_shared<uint64_t>(1024);
  CLI::App* cmd = add_dial_command(
      app, "streams", "Open COUNT /perf/1.0.0 streams on one connection at once, then use them all", *flags);
  cmd->add_option("--count", *count, "number of concurrent streams")->check(CLI::Range(1, 1000));
  cmd->add_option("--bytes", *bytes, "bytes each stream moves each way")->check(CLI::Range(0, 1 << 30));
  cmd->callback([&context, &exit_code, flags, count, bytes] {
    context.init();
    const auto target = parse_address_flag(flags->address, "ADDR");
    run_dial_command(context, *flags, [&](node::Node& node) -> asio::awaitable<void> {
      const auto start = Clock::now();
      const identity::PeerId peer = co_await node.swarm().dial(target);
      std::vector<std::shared_ptr<swarm::Stream>> streams(*count);
      const auto open_failures = co_await for_all(*count, [&](size_t i) -> asio::awaitable<void> {
        streams[i] = co_await node.swarm().open_stream(peer, kPerf);
      });
      size_t open = 0;
      for (const auto& s : streams) open += s ? 1 : 0;
      const auto failures = co_await for_all(*count, [&](size_t i) -> asio::awaitable<void> {
        if (!streams[i]) std::rethrow_exception(open_failures[i]);
        protocols::PerfRequest r{.upload_bytes = *bytes, .download_bytes = *bytes};
        co_await protocols::run_perf(*streams[i], r, [](const protocols::PerfReport&) {});
      });
      size_t failed = 0;
      std::string first_failure;
      for (const auto& f : failures) {
        if (!f) continue;
        if (failed++ == 0) first_failure = message_of(f);
      }
      const size_t connections = node.swarm().connections().size();
      print_json_line([&](JsonWriter& w) {
        w.Key("type");
        w.String("streams");
        w.Key("count");
        w.Uint64(*count);
        w.Key("openAtOnce");
        w.Uint64(open);
        w.Key("ok");
        w.Uint64(*count - failed);
        w.Key("failed");
        w.Uint64(failed);
        w.Key("bytesEachWay");
        w.Uint64(*bytes);
        w.Key("connections");
        w.Uint64(connections);
        w.Key("timeSeconds");
        w.Double(std::chrono::duration<double>(Clock::now() - start).count());
      });
      if (failed > 0) {
        throw CliError(std::to_string(failed) + " of " + std::to_string(*count) +
                            " streams failed; first: " + first_failure);
      }
      if (connections != 1) {
        throw CliError("expected all streams on one connection, found " +
                            std::to_string(connections));
      }
    });
    exit_code = 0;
  });
}

void add_bench_connect_command(CLI::App& app, Context& context, int& exit_code) {
  auto flags = std::make_shared<DialFlags>();
  auto iterations = std::make_shared<int>(200);
  auto warmup = std::make_shared<int>(10);
  flags->timeout_seconds = 120;
  CLI::App* cmd = add_dial_command(
      app, "bench-connect",
      "Time fresh connections: dial + Noise + Yamux + a ping stream + one round trip", *flags);
  cmd->add_option("--iterations", *iterations, "measured connections")->check(CLI::Range(1, 1000000));
  cmd->add_option("--warmup", *warmup, "connections made first and not measured")->check(CLI::Range(0, 10000));
  cmd->callback([&context, &exit_code, flags, iterations, warmup] {
    context.init();
    const auto target = parse_address_flag(flags->address, "ADDR");
    const node::NodeConfig fresh_config = client_node(context, flags->key);
    run_dial_command(context, *flags, [&](node::Node&) -> asio::awaitable<void> {
      auto executor = co_await asio::this_coro::executor;
      std::vector<double> samples;
      for (int i = 0; i < *warmup + *iterations; ++i) {
        // A node of its own per sample, so no connection is reused.
        node::Node fresh(executor, fresh_config);
        std::exception_ptr error;
        try {
          co_await fresh.start();
          const auto start = Clock::now();
          const identity::PeerId peer = co_await fresh.swarm().dial(target);
          auto stream = co_await fresh.swarm().open_stream(peer, kPing);
          protocols::PingClient client(*stream);
          co_await client.round_trip();
          const auto elapsed = Clock::now() - start;
          if (i >= *warmup) samples.push_back(to_ms(elapsed));
          co_await client.finish();
        } catch (...) {
          error = std::current_exception();
        }
        co_await fresh.stop();
        if (error) std::rethrow_exception(error);
      }
      print_json_line([&](JsonWriter& w) {
        w.Key("type");
        w.String("connect-rtt");
        w.Key("transport");
        w.String(target.is_websocket() ? "ws" : "tcp");
        write_summary(w, samples);
      });
    });
    exit_code = 0;
  });
}

void add_peer_id_command(CLI::App& app, Context& context, int& exit_code) {
  auto seed = std::make_shared<std::string>();
  auto protobuf = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("peer-id", "Print the peer id of a key given on the command line");
  auto* seed_opt = cmd->add_option("--key", *seed, "Ed25519 seed, 64 hex digits");
  auto* pb_opt = cmd->add_option("--private-key-protobuf", *protobuf, "libp2p PrivateKey protobuf, hex");
  seed_opt->excludes(pb_opt);
  cmd->callback([&context, &exit_code, seed, protobuf, seed_opt, pb_opt] {
    context.init();
    if (seed_opt->count() == 0 && pb_opt->count() == 0) {
      throw CliError("peer-id needs --key SEED_HEX or --private-key-protobuf HEX");
    }
    std::optional<identity::KeyPair> key;
    if (seed_opt->count() > 0) {
      key = key_from_seed_flag(*seed);
    } else {
      const auto bytes = encoding::hex_decode(*protobuf);
      if (!bytes) throw CliError("--private-key-protobuf is not hex: '" + *protobuf + "'");
      std::string error;
      key = identity::KeyPair::from_private_protobuf(*bytes, &error);
      if (!key) throw CliError("--private-key-protobuf: " + error);
    }
    std::printf("%s\n", identity::PeerId::from_public_key(key->public_key()).to_string().c_str());
    exit_code = 0;
  });
}

/// Writes one {"event": ...} line about a connection.
void print_connection_event(const swarm::ConnectionInfo& c, bool established) {
  print_json_line([&](JsonWriter& w) {
    w.Key("event");
    w.String(established ? "connection" : "disconnect");
    w.Key("peerId");
    w.String(c.peer.to_string());
    if (!established) return;
    w.Key("remoteAddr");
    w.String(c.remote_address.to_string());
    w.Key("direction");
    w.String(c.outbound ? "outbound" : "inbound");
    w.Key("encryption");
    w.String("/noise");
    w.Key("multiplexer");
    w.String("/yamux/1.0.0");
  });
}

void print_identify_event(const identity::PeerId& peer, const protocols::IdentifyRecord& r) {
  print_json_line([&](JsonWriter& w) {
    w.Key("event");
    w.String("identify");
    w.Key("peerId");
    w.String(peer.to_string());
    write_optional(w, "agentVersion", r.agent_version);
    write_optional(w, "protocolVersion", r.protocol_version);
    write_string_array(w, "protocols", r.protocols);
  });
}

void add_listen_command(CLI::App& app, Context& context, int& exit_code) {
  struct Flags {
    std::string transport = "tcp";
    std::string host = "127.0.0.1";
    int port = 0;
    std::vector<std::string> listen;
    bool perf = false;
    std::string key;
    int lifetime_seconds = 600;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* cmd = app.add_subcommand("listen", "Serve ping, identify and perf to test peers until stdin closes");
  cmd->footer(
      "Prints each listen address, then 'ready', then one JSON line per connection event; stops when stdin "
      "closes, on SIGINT or SIGTERM, or after --lifetime. A network-only node: no DHT, no gossipsub.");
  cmd->add_option("--transport", flags->transport, "tcp or ws")->check(CLI::IsMember({"tcp", "ws"}));
  cmd->add_option("--host", flags->host, "IP address to listen on");
  cmd->add_option("--port", flags->port, "port (0: any free one)")->check(CLI::Range(0, 65535));
  cmd->add_option("--listen", flags->listen, "multiaddr to listen on, repeatable (replaces --transport/--host/--port)");
  cmd->add_flag("--perf", flags->perf, "serve /perf/1.0.0");
  cmd->add_option("--key", flags->key, "Ed25519 seed of our identity, 64 hex digits (default: a fresh key)");
  cmd->add_option("--lifetime", flags->lifetime_seconds, "stop after this many seconds")->check(CLI::Range(1, 1 << 30));
  cmd->callback([&context, &exit_code, flags] {
    context.init();
    node::NodeConfig config = client_node(context, flags->key);
    config.mode = node::NodeMode::kListen;
    for (const auto& text : flags->listen) config.listen.push_back(parse_address_flag(text, "--listen"));
    if (config.listen.empty()) {
      const bool ip6 = flags->host.find(':') != std::string::npos;
      config.listen.push_back(parse_address_flag(std::string(ip6 ? "/ip6/" : "/ip4/") + flags->host + "/tcp/" +
                                                     std::to_string(flags->port) +
                                                     (flags->transport == "ws" ? "/ws" : ""),
                                                 "--host/--port"));
    }
    config.network.serve_perf = flags->perf;
    config.network.identify_on_connect = true;
    config.network.on_identified = print_identify_event;
    asio::io_context io;
    node::Node node(io.get_executor(), std::move(config));
    node.swarm().add_observer(print_connection_event);

    std::exception_ptr failure;
    bool stopping = false;
    asio::signal_set signals(io, SIGINT, SIGTERM);
    asio::steady_timer lifetime(io);
    asio::posix::stream_descriptor input(io);
    auto stop = [&](const char* why) {
      if (std::exchange(stopping, true)) return;
      log::get_logger("prowl")->info("listen: stopping ({})", why);
      signals.cancel();
      lifetime.cancel();
      boost::system::error_code ignored;
      input.close(ignored);
      asio::co_spawn(io, node.stop(), [&](std::exception_ptr) { io.stop(); });
    };
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
          const std::vector<multiaddr::Multiaddr> addresses = co_await node.start();
          for (const auto& address : addresses) print_line(address.to_string());
          print_line("ready");
        },
        [&](std::exception_ptr e) {
          if (!e) return;
          failure = e;
          stop("listening failed");
        });
    signals.async_wait([&](const boost::system::error_code& ec, int) {
      if (!ec) stop("signal");
    });
    lifetime.expires_after(std::chrono::seconds(flags->lifetime_seconds));
    lifetime.async_wait([&](const boost::system::error_code& ec) {
      if (!ec) stop("lifetime reached");
    });
    boost::system::error_code assign_error;
    input.assign(::dup(STDIN_FILENO), assign_error);  // fails for regular files: then stdin is not watched
    if (!assign_error) {
      asio::co_spawn(
          io,
          [&]() -> asio::awaitable<void> {
            std::array<char, 256> sink;
            boost::system::error_code ec;
            while (!ec) co_await input.async_read_some(asio::buffer(sink), asio::redirect_error(asio::use_awaitable, ec));
            stop("stdin closed");
          },
          asio::detached);
    }
    io.run();
    if (failure) throw CliError(message_of(failure));
    exit_code = 0;
  });
}

}  // namespace

void add_network_commands(CLI::App& app, Context& context, int& exit_code) {
  add_ping_command(app, context, exit_code);
  add_identify_command(app, context, exit_code);
  add_perf_command(app, context, exit_code);
  add_peer_id_command(app, context, exit_code);
}

void add_tools_commands(CLI::App& app, Context& context, int& exit_code) {
  CLI::App* tools = app.add_subcommand("tools", "Run developer tools: a test listener and connection benchmarks");
  tools->require_subcommand(1);
  add_listen_command(*tools, context, exit_code);
  add_streams_command(*tools, context, exit_code);
  add_bench_connect_command(*tools, context, exit_code);
}

}  // namespace prowl::cli
