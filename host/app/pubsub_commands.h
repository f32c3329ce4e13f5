// The pubsub pieces of the `prowl` command line:
//   prowl run --subscribe TOPIC (repeatable)      prints every message of TOPIC
//   prowl pub TOPIC MESSAGE --bootstrap MULTIADDR  publishes one message
//   prowl sub TOPIC --bootstrap MULTIADDR [--count N]  prints N messages, then exits
// Each received message is one JSON line on stdout, flushed:
//   {"topic":"...","from":"<author peer id>","seqno":"<16 hex digits>","data":"..."}
// seqno is the author's 64-bit sequence number as 16 lower-case hex digits
// (big-endian, as on the wire: JSON numbers cannot carry 64 bits exactly);
// data is the payload as a string when it is valid UTF-8, otherwise the
// line carries "dataHex" (lower-case hex) instead of "data".
#pragma once

#include <CLI/CLI.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "host/wire/pubsub/message_id.h"
#include "host/services/pubsub/pubsub_service.h"
#include "host/swarm/swarm.h"

namespace prowl::pubsub_service {

/// The JSON line (without newline) of one received message, as above.
std::string message_json(const pubsub::Message& message);

/// Runs `body` on a fresh dialing node whose identity comes from the 64-hex-digit
/// Ed25519 seed `seed_hex` (empty: a fresh key), shuts the node down, and
/// throws std::exception with the failure, or after `timeout_seconds`. The
/// `prowl` executable passes an adapter of net_cli::run_dialer.
using DialerRunner = std::function<void(const std::string& seed_hex, int timeout_seconds,
                                        const std::function<boost::asio::awaitable<void>(swarm::Swarm&)>& body)>;

/// Returns the service settings the configuration describes; called when a
/// command runs (after parsing), so the `prowl` executable loads its config
/// there. Throws std::exception naming an inconsistent setting.
using SettingsSource = std::function<PubsubServiceConfig()>;

/// Registers `pub` and `sub` on `app`; their services use `settings`
/// (empty: PubsubServiceConfig's defaults). Their callbacks throw
/// std::exception (std::runtime_error, or CLI11 errors for bad flags) on
/// failure and set `exit_code` to 0 on success.
void add_pubsub_commands(CLI::App& app, int& exit_code, DialerRunner run_dialer, SettingsSource settings = {});

/// The pubsub flags of `prowl run`.
struct RunPubsubFlags {
  std::vector<std::string> subscribe;  ///< --subscribe TOPIC (repeatable)
  bool publish_stdin = false;          ///< --publish-stdin: publish each stdin line to the first topic
};

/// Adds --subscribe and --publish-stdin to the `run` subcommand; the
/// returned flags are filled when it parses.
std::shared_ptr<RunPubsubFlags> add_run_pubsub_options(CLI::App& run);

/// The pubsub part of `prowl run`: the node relays gossip, prints every
/// message of the --subscribe topics as a JSON line, and with
/// --publish-stdin publishes each line read on stdin (without its newline)
/// to the first --subscribe topic. Not thread-safe: use it on the swarm's
/// executor; destroy it before the swarm.
class RunPubsub {
 public:
  /// The service runs with `config`. Throws std::runtime_error for
  /// --publish-stdin without --subscribe, std::invalid_argument for an
  /// inconsistent router config.
  RunPubsub(boost::asio::any_io_executor executor, swarm::Swarm& swarm, const RunPubsubFlags& flags,
            PubsubServiceConfig config = {});
  ~RunPubsub();
  RunPubsub(const RunPubsub&) = delete;
  RunPubsub& operator=(const RunPubsub&) = delete;

  PubsubService& service() noexcept { return *service_; }

 private:
  struct StdinPublisher;
  std::unique_ptr<PubsubService> service_;
  std::shared_ptr<StdinPublisher> stdin_;
};

}  // namespace prowl::pubsub_service
