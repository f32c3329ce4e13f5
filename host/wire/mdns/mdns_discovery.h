// libp2p peer discovery over Multicast DNS (libp2p specs, discovery/mdns.md),
// sans-IO: fed received datagrams and the time, it returns the datagrams to
// send and the peers found. A node queries "_p2p._udp.local PTR"; every node
// answers with "_p2p._udp.local PTR <peer-name>._p2p._udp.local" and, in the
// additional records, "<peer-name>._p2p._udp.local TXT dnsaddr=<multiaddr>/p2p/<id>"
// with one string per listen address.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "host/base/identity/peer_id.h"
#include "host/wire/mdns/dns_message.h"
#include "host/base/multiaddr/multiaddr.h"

namespace prowl::mdns {

/// The mDNS UDP port; responses from other ports are ignored (RFC 6762 section 6).
inline constexpr uint16_t kMdnsPort = 5353;
/// The service name libp2p peers announce under.
inline constexpr const char* kServiceName = "_p2p._udp.local";

/// Tunables of MdnsDiscovery.
struct MdnsConfig {
  std::chrono::milliseconds query_interval{10'000};  ///< steady-state query period (> 0)
  /// Queries sent at start-up before the steady period: at 0 s, then 1 s, 2 s,
  /// 4 s... apart (each gap capped at query_interval).
  size_t initial_queries = 3;
  uint32_t record_ttl_seconds = 120;    ///< TTL of the records we announce (> 0)
  size_t max_announced_addresses = 16;  ///< listen addresses put in our TXT record
  size_t max_addresses_per_peer = 16;   ///< addresses kept per discovered peer
  size_t max_peers = 1024;              ///< peers remembered for de-duplication
};

/// A peer found on the link, and its addresses without the trailing /p2p.
struct DiscoveredPeer {
  identity::PeerId peer;
  std::vector<multiaddr::Multiaddr> addresses;
};

/// A datagram to send: to the mDNS group, or back to the sender of the
/// packet just handled (a unicast-response or legacy query).
struct OutgoingPacket {
  std::vector<uint8_t> bytes;
  bool to_sender = false;
};

/// What handling one received datagram produced.
struct MdnsOutput {
  std::optional<OutgoingPacket> reply;
  std::vector<DiscoveredPeer> discovered;  ///< new peers, or known ones with changed/expired addresses
};

/// The discovery state machine of one node on one link. Not thread-safe: one
/// owner calls it (the I/O driver).
class MdnsDiscovery {
 public:
  using Clock = std::chrono::steady_clock;

  /// REQUIRES: `peer_name` is one label of 1..63 characters from [a-z0-9-]
  /// (see random_peer_name()), config.query_interval > 0 and
  /// config.record_ttl_seconds > 0; throws std::invalid_argument otherwise.
  /// The first query is due at `now`.
  MdnsDiscovery(identity::PeerId local_peer, std::string peer_name, MdnsConfig config,
                Clock::time_point now);

  /// Our instance name, "<peer-name>._p2p._udp.local".
  const std::string& instance_name() const noexcept { return instance_name_; }

  /// Sets the addresses we announce: the first max_announced_addresses whose
  /// "dnsaddr=<address>/p2p/<local peer>" fits a 255-byte TXT string. They
  /// should be reachable from the link (not 0.0.0.0). With none, queries go
  /// unanswered.
  void set_listen_addresses(const std::vector<multiaddr::Multiaddr>& addresses);

  /// The TXT strings we currently announce.
  const std::vector<std::string>& announced_texts() const noexcept { return texts_; }

  /// When poll_query() next returns a query.
  Clock::time_point next_query_time() const noexcept { return next_query_; }

  /// The query datagram for the mDNS group when one is due at `now` (and
  /// schedules the next), else nullopt.
  std::optional<std::vector<uint8_t>> poll_query(Clock::time_point now);

  /// Handles a datagram received from UDP port `source_port`. Malformed input
  /// yields an empty output and the reason in `error` if given.
  MdnsOutput handle_packet(std::span<const uint8_t> datagram, uint16_t source_port,
                           Clock::time_point now, std::string* error = nullptr);

  /// Peers currently remembered (for de-duplication); at most config.max_peers.
  size_t known_peer_count() const noexcept { return known_.size(); }

 private:
  struct Known {
    std::string instance;
    std::vector<multiaddr::Multiaddr> addresses;
    Clock::time_point expires;
  };

  std::optional<OutgoingPacket> answer_query(const DnsMessage& query, uint16_t source_port,
                                             Clock::time_point now);
  DnsMessage build_response(uint32_t ttl, bool cache_flush) const;
  std::vector<DiscoveredPeer> read_response(const DnsMessage& response, Clock::time_point now);
  std::optional<DiscoveredPeer> read_instance(const DnsMessage& response,
                                              const std::string& instance) const;
  bool remember(const DiscoveredPeer& found, const std::string& instance, uint32_t ttl,
                Clock::time_point now);

  identity::PeerId local_peer_;
  std::string instance_name_;
  MdnsConfig config_;
  std::vector<std::string> texts_;
  Clock::time_point next_query_;
  size_t queries_sent_ = 0;
  std::optional<Clock::time_point> last_multicast_response_;
  std::map<identity::PeerId, Known> known_;
};

}  // namespace prowl::mdns
