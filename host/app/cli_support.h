// Shared pieces of the `prowl` commands (private to host/app): JSON lines on
// stdout, flags every dialing command parses, and the client-mode node the
// one-shot commands run on.
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "host/app/context.h"
#include "host/base/identity/key_pair.h"
#include "host/base/multiaddr/multiaddr.h"
#include "host/node/node.h"

namespace prowl::cli {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

/// Writes `line` and a newline to stdout, flushed.
void print_line(std::string_view line);

/// One JSON object, without a newline; `fill` writes its members.
std::string json_line(const std::function<void(JsonWriter&)>& fill);

/// print_line(json_line(fill)).
void print_json_line(const std::function<void(JsonWriter&)>& fill);

/// The key of --key SEED_HEX (64 hex digits), or a fresh one when empty.
/// Throws CliError naming the flag.
identity::KeyPair key_from_seed_flag(const std::string& seed_hex);

/// Parses a command-line multiaddr. Throws CliError with the reason.
multiaddr::Multiaddr parse_address_flag(const std::string& text, const char* what);

/// Milliseconds, rounded to microseconds as the js peer prints them.
double to_ms(std::chrono::nanoseconds d);

/// Writes "count", "minMs", "p50Ms", "p99Ms", "maxMs" (nearest-rank
/// quantiles) of non-empty `samples_ms` into the open object.
void write_summary(JsonWriter& w, std::vector<double> samples_ms);

/// The node of a one-shot command: client mode (no listeners) with the
/// identity of --key `seed_hex` and the configured limits and service
/// settings (node::client_config). REQUIRES: context.init() ran.
node::NodeConfig client_node(const Context& context, const std::string& seed_hex);

/// What a one-shot command does on its started node.
using ClientBody = std::function<boost::asio::awaitable<void>(node::Node&)>;

/// Starts `node`, runs `body` on it, and stops the node whether or not
/// `body` failed; then rethrows the failure of start or body, if any.
boost::asio::awaitable<void> run_on(node::Node& node, const ClientBody& body);

/// Builds a node from `config`, starts it, runs `body`, stops it. Gives up
/// after `timeout_seconds`: the swarm shuts down, failing whatever is in
/// flight, and the command fails with "timed out after N s". Throws CliError
/// with the failure.
void run_client(node::NodeConfig config, int timeout_seconds, const ClientBody& body);
/// run_client with the node's plugin `registry` (not owned): its compute
/// hunts reach the node's catalog.
void run_client_with_plugins(node::NodeConfig config, int timeout_seconds, const ClientBody& body,
                             plugins::Registry& registry);

/// How the one-shot commands run their node: run_client, or (tests) one on
/// an in-memory network.
using ClientRunner = std::function<void(node::NodeConfig config, int timeout_seconds, const ClientBody& body)>;

}  // namespace prowl::cli
