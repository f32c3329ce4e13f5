#include "host/wire/mdns/mdns_discovery.h"

#include <algorithm>
#include <stdexcept>
#include <string_view>
#include <utility>

namespace prowl::mdns {
namespace {

constexpr std::string_view kDnsaddrPrefix = "dnsaddr=";
constexpr size_t kMaxTxtString = 255;
constexpr size_t kMaxLabel = 63;
// RFC 6762 section 6: a record is multicast at most once per second.
constexpr std::chrono::seconds kMulticastResponseGap{1};
// RFC 6762 section 6.7: legacy unicast answers carry TTLs of at most 10 s.
constexpr uint32_t kLegacyTtl = 10;

bool valid_peer_name(const std::string& name) {
  return !name.empty() && name.size() <= kMaxLabel &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
         });
}

// True when `name` is "<one label>.<service>".
bool is_service_instance(std::string_view name) {
  const std::string_view service = kServiceName;
  if (name.size() < service.size() + 2) return false;
  const std::string_view suffix = name.substr(name.size() - service.size() - 1);
  const std::string_view label = name.substr(0, name.size() - suffix.size());
  return suffix[0] == '.' && same_dns_name(suffix.substr(1), service) &&
         label.find('.') == std::string_view::npos;
}

bool asks_for_peers(const DnsQuestion& q) {
  return same_dns_name(q.name, kServiceName) && (q.type == kTypePtr || q.type == kTypeAny) &&
         q.rr_class == kClassIn;
}

}  // namespace

MdnsDiscovery::MdnsDiscovery(identity::PeerId local_peer, std::string peer_name,
                             MdnsConfig config, Clock::time_point now)
    : local_peer_(std::move(local_peer)), config_(config), next_query_(now) {
  if (!valid_peer_name(peer_name)) {
    throw std::invalid_argument("mDNS peer name '" + peer_name +
                                "' is not one label of 1..63 characters from [a-z0-9-]");
  }
  if (config_.query_interval.count() <= 0 || config_.record_ttl_seconds == 0) {
    throw std::invalid_argument("mDNS query interval and record TTL must be positive");
  }
  instance_name_ = peer_name + "." + kServiceName;
}

void MdnsDiscovery::set_listen_addresses(const std::vector<multiaddr::Multiaddr>& addresses) {
  texts_.clear();
  for (const multiaddr::Multiaddr& address : addresses) {
    if (texts_.size() >= config_.max_announced_addresses) break;
    auto full = address.with_peer(local_peer_.bytes());
    if (!full) continue;
    std::string text = std::string(kDnsaddrPrefix) + full->to_string();
    if (text.size() > kMaxTxtString) continue;
    if (std::find(texts_.begin(), texts_.end(), text) == texts_.end()) {
      texts_.push_back(std::move(text));
    }
  }
}

std::optional<std::vector<uint8_t>> MdnsDiscovery::poll_query(Clock::time_point now) {
  if (now < next_query_) return std::nullopt;
  ++queries_sent_;
  auto gap = config_.query_interval;
  if (queries_sent_ < config_.initial_queries) {
    const auto shift = std::min<size_t>(queries_sent_ - 1, 16);
    gap = std::min(gap, std::chrono::milliseconds(1000LL << shift));
  }
  next_query_ = now + gap;
  DnsMessage query;
  query.questions.push_back(DnsQuestion{kServiceName, kTypePtr, kClassIn, false});
  // A fixed, valid name and type: encoding cannot fail.
  return encode_dns_message(query).value();
}

MdnsOutput MdnsDiscovery::handle_packet(std::span<const uint8_t> datagram, uint16_t source_port,
                                        Clock::time_point now, std::string* error) {
  MdnsOutput output;
  auto message = decode_dns_message(datagram, error);
  if (!message) return output;
  if (!message->response) {
    output.reply = answer_query(*message, source_port, now);
  } else if (source_port == kMdnsPort) {
    output.discovered = read_response(*message, now);
  } else if (error != nullptr) {
    *error = "mDNS response from UDP port " + std::to_string(source_port) + " ignored";
  }
  return output;
}

DnsMessage MdnsDiscovery::build_response(uint32_t ttl, bool cache_flush) const {
  DnsMessage response;
  response.response = true;
  response.authoritative = true;
  // The PTR is shared among all peers, so never cache-flush; the TXT is ours alone.
  DnsRecord ptr;
  ptr.name = kServiceName;
  ptr.type = kTypePtr;
  ptr.ttl = ttl;
  ptr.target = instance_name_;
  response.answers.push_back(std::move(ptr));
  DnsRecord txt;
  txt.name = instance_name_;
  txt.type = kTypeTxt;
  txt.ttl = ttl;
  txt.cache_flush = cache_flush;
  txt.texts = texts_;
  response.additionals.push_back(std::move(txt));
  return response;
}

std::optional<OutgoingPacket> MdnsDiscovery::answer_query(const DnsMessage& query,
                                                          uint16_t source_port,
                                                          Clock::time_point now) {
  if (texts_.empty()) return std::nullopt;
  const DnsQuestion* asked = nullptr;
  bool all_unicast = true;
  for (const DnsQuestion& q : query.questions) {
    if (!asks_for_peers(q)) continue;
    if (asked == nullptr) asked = &q;
    all_unicast = all_unicast && q.unicast_response;
  }
  if (asked == nullptr) return std::nullopt;
  // Known-answer suppression (RFC 6762 section 7.1).
  for (const DnsRecord& known : query.answers) {
    if (known.type == kTypePtr && same_dns_name(known.name, kServiceName) &&
        same_dns_name(known.target, instance_name_) &&
        known.ttl >= config_.record_ttl_seconds / 2) {
      return std::nullopt;
    }
  }
  OutgoingPacket packet;
  if (source_port != kMdnsPort) {
    // Legacy unicast query (RFC 6762 section 6.7): echo id and question, short TTL.
    DnsMessage response = build_response(std::min(kLegacyTtl, config_.record_ttl_seconds), false);
    response.id = query.id;
    response.questions.push_back(*asked);
    response.questions.back().unicast_response = false;
    packet.bytes = encode_dns_message(response).value();
    packet.to_sender = true;
    return packet;
  }
  packet.to_sender = all_unicast;
  if (!packet.to_sender) {
    if (last_multicast_response_ && now < *last_multicast_response_ + kMulticastResponseGap) {
      return std::nullopt;
    }
    last_multicast_response_ = now;
  }
  // Our texts are bounded (<= max_announced_addresses strings of <= 255 bytes).
  packet.bytes = encode_dns_message(build_response(config_.record_ttl_seconds, true)).value();
  return packet;
}

std::vector<DiscoveredPeer> MdnsDiscovery::read_response(const DnsMessage& response,
                                                         Clock::time_point now) {
  std::vector<DiscoveredPeer> discovered;
  for (const auto* section : {&response.answers, &response.additionals}) {
    for (const DnsRecord& ptr : *section) {
      if (ptr.type != kTypePtr || !same_dns_name(ptr.name, kServiceName) ||
          !is_service_instance(ptr.target) || same_dns_name(ptr.target, instance_name_)) {
        continue;
      }
      if (ptr.ttl == 0) {  // goodbye (RFC 6762 section 10.1): forget the instance
        std::erase_if(known_, [&](const auto& entry) {
          return same_dns_name(entry.second.instance, ptr.target);
        });
        continue;
      }
      auto found = read_instance(response, ptr.target);
      if (found && remember(*found, ptr.target, ptr.ttl, now)) {
        discovered.push_back(std::move(*found));
      }
    }
  }
  return discovered;
}

std::optional<DiscoveredPeer> MdnsDiscovery::read_instance(const DnsMessage& response,
                                                           const std::string& instance) const {
  std::optional<identity::PeerId> peer;
  std::vector<multiaddr::Multiaddr> addresses;
  for (const auto* section : {&response.answers, &response.additionals}) {
    for (const DnsRecord& txt : *section) {
      if (txt.type != kTypeTxt || !same_dns_name(txt.name, instance)) continue;
      for (const std::string& text : txt.texts) {
        if (addresses.size() >= config_.max_addresses_per_peer) break;
        if (!std::string_view(text).starts_with(kDnsaddrPrefix)) continue;
        auto address = multiaddr::Multiaddr::parse(std::string_view(text).substr(kDnsaddrPrefix.size()));
        if (!address) continue;
        auto id_bytes = address->peer_id_bytes();
        if (!id_bytes) continue;
        auto id = identity::PeerId::from_bytes(*id_bytes);
        if (!id || (peer && *id != *peer)) continue;
        peer = std::move(id);
        multiaddr::Multiaddr dialable = address->without_peer();
        if (!dialable.empty() &&
            std::find(addresses.begin(), addresses.end(), dialable) == addresses.end()) {
          addresses.push_back(std::move(dialable));
        }
      }
    }
  }
  if (!peer || *peer == local_peer_ || addresses.empty()) return std::nullopt;
  return DiscoveredPeer{std::move(*peer), std::move(addresses)};
}

bool MdnsDiscovery::remember(const DiscoveredPeer& found, const std::string& instance,
                             uint32_t ttl, Clock::time_point now) {
  const auto expires =
      now + std::chrono::seconds(std::min(ttl, config_.record_ttl_seconds));
  auto it = known_.find(found.peer);
  if (it != known_.end()) {
    const bool changed = it->second.addresses != found.addresses || it->second.expires <= now;
    it->second = Known{instance, found.addresses, expires};
    return changed;
  }
  if (config_.max_peers == 0) return true;
  if (known_.size() >= config_.max_peers) {
    std::erase_if(known_, [&](const auto& entry) { return entry.second.expires <= now; });
  }
  if (known_.size() >= config_.max_peers) {
    known_.erase(std::min_element(known_.begin(), known_.end(), [](const auto& a, const auto& b) {
      return a.second.expires < b.second.expires;
    }));
  }
  known_.emplace(found.peer, Known{instance, found.addresses, expires});
  return true;
}

}  // namespace prowl::mdns
