// prowl's network subcommands (listen, ping, identify, perf, streams,
// bench-connect, peer-id) and the network part of `prowl run`. Their
// output follows tests/interop/README.md ("The peer CLI contract"), so the
// interop harness drives prowl and js-libp2p with the same command lines.
#pragma once

#include <CLI/CLI.hpp>

#include <boost/asio/io_context.hpp>

#include <memory>
#include <string>
#include <vector>

#include "host/app/context.h"
#include "host/base/identity/key_pair.h"
#include "host/node/network_node.h"

namespace prowl::net_cli {

/// Registers `listen`, `ping`, `identify`, `perf`, `streams`,
/// `bench-connect` and `peer-id` on `app`. Their callbacks throw
/// cli::CliError on failure and set `exit_code` to 0 on success.
void add_network_commands(CLI::App& app, cli::Context& context, int& exit_code);

/// The network flags of `prowl run`.
struct RunNetworkFlags {
  std::vector<std::string> listen;  ///< --listen MULTIADDR (repeatable); else config network.listen
  bool perf = false;                ///< --perf: serve /perf/1.0.0
};

/// Adds --listen and --perf to the `run` subcommand; the returned flags are
/// filled when it parses.
std::shared_ptr<RunNetworkFlags> add_run_network_options(CLI::App& run);

/// Starts the node's networking on `io` for `prowl run`: listens on the
/// flags' addresses (else the config's network.listen; none: returns null,
/// no networking), running `io` until every address is bound, and prints
/// each bound address, ending in /p2p/<id>, on its own stdout line
/// (flushed). Throws cli::CliError naming the address that failed. Destroy
/// the returned node before `io` (declare it after `io`). REQUIRES:
/// context.init() ran; `io` is not running.
std::unique_ptr<NetworkNode> start_network(boost::asio::io_context& io, const cli::Context& context,
                                           const identity::KeyPair& key, const RunNetworkFlags& flags);

}  // namespace prowl::net_cli
