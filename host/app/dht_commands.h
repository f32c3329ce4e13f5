// The DHT pieces of the `prowl` command line. One-shots join through
// --bootstrap MULTIADDR (repeatable), run one query in client mode and print
// one JSON line on stdout:
//   prowl dht get KEY             {"key","valueHex"[,"value"][,"sequence","publisher"]}
//   prowl dht put KEY VALUE       {"key","stored"}
//   prowl dht provide KEY         {"key","told"}
//   prowl dht find-providers KEY  {"key","providers":[{"peerId","addrs"}]}
//   prowl dht find-peer PEERID    {"peerId","addrs"}
//   prowl dht closest KEY         {"key","peers":[{"peerId","addrs"}]}
// KEY is text ("/prowl/<our id>/<name>", "/pk/<peer id>") or "0x<hex>" for
// raw bytes (e.g. a CID's multihash). put signs /prowl/ values with our
// key; a /pk/ VALUE is the public key protobuf in hex.
// Operands and flags are checked before anything is dialed. `prowl run`
// gets --bootstrap, --no-mdns, --mdns-interface, --kad-protocol and
// --kad-client, and RunDht runs the DHT, the bootstrap peers and mDNS.
#pragma once

#include <CLI/CLI.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "host/services/dht/dht_service.h"
#include "host/base/identity/key_pair.h"

namespace prowl::config {
class Config;
}
namespace prowl::discovery {
class Bootstrapper;
class MdnsDialer;
}  // namespace prowl::discovery
namespace prowl::mdns {
class MdnsService;
}

namespace prowl::dht {

/// What a one-shot runs on: a fresh dialing node's swarm, identify store and service.
using DialerBody = std::function<boost::asio::awaitable<void>(swarm::Swarm&, protocols::PeerStore&,
                                                              protocols::IdentifyService&)>;
/// Runs `body` on a fresh dialing node whose identity comes from the
/// 64-hex-digit Ed25519 seed `seed_hex` (empty: a fresh key), shuts it down,
/// and throws std::exception with the failure or after `timeout_seconds`.
/// The `prowl` executable passes an adapter of net_cli::run_dialer.
using DialerRunner = std::function<void(const std::string& seed_hex, int timeout_seconds, const DialerBody& body)>;

/// Returns the config's network.kad_protocol; called when a command runs
/// (after parsing), so the `prowl` executable loads its config there.
using ProtocolSource = std::function<std::string()>;

/// Returns the config's network.limits.max_kad_message_bytes; called when a
/// command runs, as ProtocolSource.
using MessageLimitSource = std::function<size_t()>;

/// Registers `dht` with its subcommands on `app`; `default_protocol` gives
/// the protocol when --kad-protocol is not given, `max_message_bytes` the
/// largest kad message accepted (empty: kad::kMaxMessageBytes). Callbacks
/// throw std::exception on failure and set `exit_code` to 0 on success.
void add_dht_commands(CLI::App& app, int& exit_code, DialerRunner run_dialer, ProtocolSource default_protocol,
                      MessageLimitSource max_message_bytes = {});

/// Throws std::runtime_error, naming `source` (a flag or config key), unless
/// `protocol` is a multistream protocol id starting with '/'.
void check_kad_protocol(const std::string& protocol, const std::string& source);

/// Runs DHT command `op` (get, put, provide, find-providers, find-peer,
/// closest) with its operands (KEY [VALUE] or PEERID) on `dht`, signing
/// /prowl/ values with `key_pair`; returns its JSON line, as above, without
/// a newline. Throws std::runtime_error naming a bad operand or the failure.
boost::asio::awaitable<std::string> run_dht_command(DhtService& dht, const identity::KeyPair& key_pair,
                                                    const std::string& op, const std::vector<std::string>& operands,
                                                    size_t max_providers = kad::kBucketSize);

/// The DHT and discovery flags of `prowl run`.
struct RunDhtFlags {
  std::vector<std::string> bootstrap;  ///< --bootstrap MULTIADDR (repeatable), added to network.bootstrap
  bool no_mdns = false;                ///< --no-mdns
  std::string mdns_interface;          ///< --mdns-interface NAME (else network.mdns_interface, else the first)
  std::string kad_protocol;            ///< --kad-protocol ID (else network.kad_protocol)
  bool kad_client = false;             ///< --kad-client: query the DHT without serving it

  /// Whether any of the flags was given.
  bool given() const noexcept {
    return !bootstrap.empty() || no_mdns || !mdns_interface.empty() || !kad_protocol.empty() || kad_client;
  }
};
/// Adds the flags above to the `run` subcommand; filled when it parses.
std::shared_ptr<RunDhtFlags> add_run_dht_options(CLI::App& run);

/// The config keys RunDht reads (network.*) and the data directory.
struct RunDhtSettings {
  std::string kad_protocol = std::string(kDefaultProtocol);  ///< network.kad_protocol
  size_t max_message_bytes = kad::kMaxMessageBytes;          ///< network.limits.max_kad_message_bytes
  size_t max_records_per_publisher = kad::RecordStoreLimits{}.max_records_per_publisher;  ///< network.limits.max_kad_records_per_publisher
  std::string kad_mode = "server";                           ///< network.kad_mode: server|client
  std::vector<std::string> bootstrap;                        ///< network.bootstrap
  std::string mdns = "on";                                   ///< network.mdns: on|off
  std::string mdns_interface;                                ///< network.mdns_interface
  std::filesystem::path data_dir;                            ///< kad.sqlite lives here
};

/// The settings of `config` (network.kad_protocol, kad_mode, bootstrap,
/// mdns, mdns_interface, limits.max_kad_message_bytes, limits.max_kad_records_per_publisher) with kad.sqlite in
/// `data_dir`.
RunDhtSettings run_dht_settings(const config::Config& config, std::filesystem::path data_dir);

/// The DHT part of `prowl run`: a DhtService (persistent in the data dir),
/// a Bootstrapper over the bootstrap peers, and mDNS whose discoveries are
/// dialed and handed to the DHT. mDNS stays off when the swarm listens on
/// loopback only: no peer on the link could dial what it would announce. Not thread-safe: use it on the swarm's
/// executor; destroy it before the swarm. REQUIRES: the swarm listens
/// already (mDNS announces its addresses).
class RunDht {
 public:
  /// Throws std::runtime_error naming a bad bootstrap address (and whether
  /// --bootstrap or network.bootstrap gave it), a bad kad protocol id, the
  /// data directory, or (only when --mdns-interface or the config names it)
  /// the mDNS interface that failed.
  RunDht(boost::asio::any_io_executor executor, swarm::Swarm& swarm, protocols::PeerStore& peers,
         protocols::IdentifyService& identify, const RunDhtSettings& settings, const RunDhtFlags& flags);
  ~RunDht();
  RunDht(const RunDht&) = delete;
  RunDht& operator=(const RunDht&) = delete;
  DhtService& service() noexcept { return *service_; }

 private:
  using Found = std::function<void(const identity::PeerId&, const std::vector<multiaddr::Multiaddr>&)>;
  // Creates mdns_ and mdns_dialer_ (not started) when mDNS is on and has
  // an interface and an address to announce; discoveries go to `found`.
  void create_mdns(boost::asio::any_io_executor executor, swarm::Swarm& swarm, const RunDhtSettings& settings,
                   const RunDhtFlags& flags, const Found& found);

  std::unique_ptr<DhtService> service_;
  std::shared_ptr<discovery::Bootstrapper> bootstrapper_;
  std::shared_ptr<discovery::MdnsDialer> mdns_dialer_;
  std::shared_ptr<mdns::MdnsService> mdns_;
};

/// The first interface that is up, multicast-capable, not loopback and has
/// an IPv4 address; empty when there is none.
std::string default_mdns_interface();

}  // namespace prowl::dht
