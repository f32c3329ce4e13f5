// The Kademlia DHT on a swarm: serves the kad protocol (server mode), runs
// iterative lookups over it (alpha requests in flight, per-request and
// per-query timeouts), keeps the routing table fed from identify and from
// answers, persists records, provider records and known peers in
// <data dir>/kad.sqlite, and runs the periodic work (expiry, provider and
// record republishing, bucket refresh and random walks).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "host/base/identity/peer_id.h"
#include "host/wire/kad/message.h"
#include "host/wire/kad/provider_store.h"
#include "host/wire/kad/query.h"
#include "host/wire/kad/record_store.h"
#include "host/wire/kad/routing_table.h"
#include "host/base/multiaddr/multiaddr.h"

namespace prowl::swarm {
class Swarm;
}
namespace prowl::protocols {
class IdentifyService;
class PeerStore;
}  // namespace prowl::protocols

namespace prowl::dht {

/// prowl's own DHT namespace (config network.kad_protocol); "/ipfs/kad/1.0.0"
/// joins the public libp2p DHT's protocol instead.
inline constexpr std::string_view kDefaultProtocol = "/prowl/kad/1.0.0";

/// Everything a DhtService can be tuned with.
struct DhtConfig {
  std::string protocol = std::string(kDefaultProtocol);  ///< the kad protocol id served and spoken
  size_t max_message_bytes = kad::kMaxMessageBytes;      ///< a larger request or response is refused
  bool server = true;          ///< answer requests (server mode); false: only query (client mode)
  kad::QueryConfig query;      ///< alpha, k, per-request and per-query timeouts
  size_t max_queries = 32;     ///< lookups in flight; more fail at once
  kad::RecordStoreLimits records;      ///< stored values: count, per publisher, sizes
  kad::ProviderStoreLimits providers;  ///< provider records: expiry 48 h, republish 22 h
  std::filesystem::path data_dir;      ///< holds kad.sqlite; empty keeps everything in memory
  std::chrono::milliseconds maintenance_interval{60000};  ///< expiry and republish checks
  std::chrono::milliseconds refresh_interval{600000};     ///< bucket refresh + random walks
  size_t random_walks = 1;                                ///< random-target lookups per refresh
  std::chrono::milliseconds record_republish_interval{3600000};  ///< our own put values
  size_t restart_peers = kad::kBucketSize;  ///< known peers asked first after a restart
};

/// Counters for tests, benchmarks and logs.
struct DhtStats {
  size_t requests_served = 0;   ///< inbound requests answered (or accepted, ADD_PROVIDER)
  size_t requests_refused = 0;  ///< inbound requests that reset their stream
  size_t requests_sent = 0;     ///< outbound requests
  size_t queries = 0;           ///< lookups run
};

/// One DHT node. Construct, then start(); every method runs on
/// `executor` (the swarm's). The swarm, peer store and identify service are
/// not owned and must outlive the service; stop() before destroying them.
class DhtService {
 public:
  /// Opens <data_dir>/kad.sqlite when data_dir is set. Throws
  /// std::runtime_error naming the file when it cannot be opened.
  DhtService(boost::asio::any_io_executor executor, swarm::Swarm& swarm, protocols::PeerStore& peers,
             protocols::IdentifyService& identify, DhtConfig config);
  ~DhtService();
  DhtService(const DhtService&) = delete;
  DhtService& operator=(const DhtService&) = delete;

  /// Registers the protocol handler (server mode), watches connections,
  /// starts the periodic tasks and, in the background, a self-lookup seeded
  /// from the most recently seen known peers. Call once.
  void start();
  /// Ends the periodic tasks and refuses further requests and lookups; lookups
  /// running end soon after with what they found.
  void stop();

  /// Records addresses of `peer` learned elsewhere (bootstrap, mDNS).
  void add_addresses(const identity::PeerId& peer, const std::vector<multiaddr::Multiaddr>& addresses);

  /// Looks up our own id from the routing table and the known peers (the
  /// join step). Returns how many peers answered.
  boost::asio::awaitable<size_t> bootstrap();
  /// Refreshes every bucket up to the first empty one past the filled ones
  /// (at most kMaxRefreshPrefixBits deep) and runs the random walks.
  boost::asio::awaitable<void> refresh();

  /// The k peers closest to `key` that answered. Throws std::runtime_error
  /// when no peer answered.
  boost::asio::awaitable<std::vector<kad::PeerInfo>> closest_peers(std::vector<uint8_t> key);
  /// Finds `peer`'s addresses through the DHT. Throws std::runtime_error
  /// "peer <id> not found ..." when the lookup ends without it.
  boost::asio::awaitable<kad::PeerInfo> find_peer(const identity::PeerId& peer);
  /// Validates, stores locally and puts `value` under `key` on the k closest
  /// peers; returns how many accepted it. Throws std::runtime_error when the
  /// record is invalid (the validator's reason) or no peer accepted it.
  boost::asio::awaitable<size_t> put_value(std::vector<uint8_t> key, std::vector<uint8_t> value);
  /// The best valid value of `key` (local and found). Throws
  /// std::runtime_error when none was found.
  boost::asio::awaitable<std::vector<uint8_t>> get_value(std::vector<uint8_t> key);
  /// Announces us as a provider of `key` now and every republish interval;
  /// returns how many peers were told. Throws std::runtime_error when none was.
  boost::asio::awaitable<size_t> provide(std::vector<uint8_t> key);
  /// Up to `max` providers of `key` (ourselves included when we provide it).
  /// Throws std::runtime_error when none was found.
  boost::asio::awaitable<std::vector<kad::PeerInfo>> find_providers(std::vector<uint8_t> key,
                                                                     size_t max = kad::kBucketSize);

  /// Runs `query` seeded from the routing table and the known peers;
  /// returns its result (for callers that want the statistics).
  boost::asio::awaitable<kad::QueryResult> run_query(kad::Query query);

  const kad::RoutingTable& routing_table() const;
  const DhtStats& stats() const;
  const DhtConfig& config() const;

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;  // shared with the service's coroutines
};

}  // namespace prowl::dht
