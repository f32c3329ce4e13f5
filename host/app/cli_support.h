// Shared pieces of the network subcommands (private to host/app).
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "host/base/config/config.h"

#include "host/base/identity/key_pair.h"
#include "host/base/multiaddr/multiaddr.h"
#include "host/node/network_node.h"

namespace prowl::net_cli {

/// Writes one JSON object per call to stdout as a line, flushed.
using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;
void print_json_line(const std::function<void(JsonWriter&)>& fill);

/// The key of --key SEED_HEX (64 hex digits), or a fresh one when empty.
/// Throws cli::CliError naming the flag.
identity::KeyPair key_from_seed_flag(const std::string& seed_hex);

/// Parses a command-line multiaddr. Throws cli::CliError with the reason.
multiaddr::Multiaddr parse_address_flag(const std::string& text, const char* what);

/// Milliseconds, rounded to microseconds as the js peer prints them.
double to_ms(std::chrono::nanoseconds d);

/// Writes "count", "minMs", "p50Ms", "p99Ms", "maxMs" (nearest-rank
/// quantiles) of non-empty `samples_ms` into the open object.
void write_summary(JsonWriter& w, std::vector<double> samples_ms);

/// Runs `body` on a fresh dialer node (no listeners, identify served, key
/// from `seed_hex`, `options`), then shuts the node down. Gives up after `timeout_seconds`: the node is
/// shut down and the command fails with "timed out after N s". Throws
/// cli::CliError with the failure.
void run_dialer(const std::string& seed_hex, int timeout_seconds,
                const std::function<boost::asio::awaitable<void>(NetworkNode&)>& body,
                const NetworkOptions& options = {});

}  // namespace prowl::net_cli
