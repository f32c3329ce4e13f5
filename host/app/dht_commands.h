// `prowl dht`: one-shots that join the DHT through --bootstrap MULTIADDR
// (repeatable) on a client-mode node, run one query and print one JSON line
// on stdout:
//   prowl dht get KEY             {"key","valueHex"[,"value"][,"sequence","publisher"]}
//   prowl dht put KEY VALUE       {"key","stored"}
//   prowl dht provide KEY         {"key","told"}
//   prowl dht find-providers KEY  {"key","providers":[{"peerId","addrs"}]}
//   prowl dht find-peer PEERID    {"peerId","addrs"}
//   prowl dht closest KEY         {"key","peers":[{"peerId","addrs"}]}
// KEY is text ("/prowl/<our id>/<name>", "/pk/<peer id>") or "0x<hex>" for
// raw bytes (e.g. a CID's multihash). put signs /prowl/ values with our
// key; a /pk/ VALUE is the public key protobuf in hex.
// Operands and flags are checked before anything is dialed.
#pragma once

#include <CLI/CLI.hpp>
#include <boost/asio/awaitable.hpp>

#include <string>
#include <vector>

#include "host/app/cli_support.h"
#include "host/app/context.h"
#include "host/base/identity/key_pair.h"
#include "host/services/dht/dht_service.h"

namespace prowl::cli {

/// Registers `dht` with its subcommands on `app`; each runs its node with
/// `runner`. The kad protocol is --kad-protocol, else network.kad_protocol;
/// the message limit network.limits.max_kad_message_bytes. Callbacks throw
/// std::exception on failure and set `exit_code` to 0 on success.
void add_dht_commands(CLI::App& app, Context& context, int& exit_code, ClientRunner runner = run_client);

/// Runs DHT command `op` (get, put, provide, find-providers, find-peer,
/// closest) with its operands (KEY [VALUE] or PEERID) on `dht`, signing
/// /prowl/ values with `key_pair`; returns its JSON line, as above, without
/// a newline. Throws std::runtime_error naming a bad operand or the failure.
boost::asio::awaitable<std::string> run_dht_command(dht::DhtService& dht, const identity::KeyPair& key_pair,
                                                    const std::string& op, const std::vector<std::string>& operands,
                                                    size_t max_providers = kad::kBucketSize);

}  // namespace prowl::cli
