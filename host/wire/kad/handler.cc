#include "host/wire/kad/handler.h"

#include <cstdio>
#include <ctime>

#include "host/wire/kad/key.h"

namespace prowl::kad {
namespace {

// RFC 3339 UTC text with millisecond precision, e.g. 2024-05-01T12:00:00.250Z.
std::string rfc3339(Time t) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[40];
  const size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(text + n, sizeof text - n, ".%03dZ", static_cast<int>(ms % 1000));
  return text;
}

HandlerResult refuse(std::string why) { return HandlerResult{std::nullopt, std::move(why)}; }

}  // namespace

Handler::Handler(const RoutingTable& table, AddressBook& addresses, RecordStore& records,
                 ProviderStore& providers, const Validator& validator, LocalAddresses local_addresses)
    : table_(table), addresses_(addresses), records_(records), providers_(providers),
      validator_(validator), local_addresses_(std::move(local_addresses)) {}

std::vector<PeerInfo> Handler::closer_peers(std::span<const uint8_t> key,
                                            const identity::PeerId& from) const {
  std::vector<PeerInfo> out;
  // One more than needed, in case the requester is among them.
  for (const RoutingEntry& entry : table_.closest(Key::from_bytes(key), kBucketSize + 1)) {
    if (entry.peer == from || out.size() == kBucketSize) continue;
    auto addresses = addresses_.addresses(entry.peer);
    if (addresses.empty()) continue;
    out.push_back(PeerInfo{entry.peer, std::move(addresses), ConnectionType::kNotConnected});
  }
  return out;
}

HandlerResult Handler::handle(const identity::PeerId& from, const Message& request, Time now) {
  if (request.type != MessageType::kPing && request.key.empty()) {
    return refuse("kad request without a key");
  }
  Message response{request.type, request.key, std::nullopt, {}, {}};
  switch (request.type) {
    case MessageType::kPing:
      break;
    case MessageType::kFindNode:
      response.closer_peers = closer_peers(request.key, from);
      break;
    case MessageType::kGetValue:
      if (auto stored = records_.get(request.key, now)) {
        response.record = Record{stored->key, stored->value, rfc3339(stored->received)};
      }
      response.closer_peers = closer_peers(request.key, from);
      break;
    case MessageType::kGetProviders:
      for (auto& provider : providers_.providers(request.key, now, kMaxPeersPerMessage)) {
        auto addresses =
            provider == table_.local() ? local_addresses_() : addresses_.addresses(provider);
        response.provider_peers.push_back(
            PeerInfo{std::move(provider), std::move(addresses), ConnectionType::kNotConnected});
      }
      response.closer_peers = closer_peers(request.key, from);
      break;
    case MessageType::kPutValue:
      return put_value(from, request, now);
    case MessageType::kAddProvider:
      return add_provider(from, request, now);
  }
  return HandlerResult{std::move(response), {}};
}

HandlerResult Handler::put_value(const identity::PeerId& from, const Message& request, Time now) {
  if (!request.record) return refuse("PUT_VALUE without a record");
  const Record& record = *request.record;
  if (record.key != request.key) return refuse("PUT_VALUE record key differs from the message key");
  std::string why;
  if (!validator_.validate(record.key, record.value, &why)) return refuse("PUT_VALUE refused: " + why);
  if (auto stored = records_.get(record.key, now); stored && stored->value != record.value) {
    if (validator_.select(record.key, {record.value, stored->value}) != 0) {
      return refuse("PUT_VALUE refused: the stored record is better");
    }
  }
  if (!records_.put(record.key, record.value, from, now, &why)) {
    return refuse("PUT_VALUE refused: " + why);
  }
  return HandlerResult{request, {}};
}

HandlerResult Handler::add_provider(const identity::PeerId& from, const Message& request,
                                    Time now) {
  bool added = false;
  for (const PeerInfo& provider : request.provider_peers) {
    if (provider.id != from) continue;
    std::string why;
    if (!providers_.add(request.key, from, now, &why)) return refuse("ADD_PROVIDER refused: " + why);
    addresses_.add(from, provider.addresses, now);
    added = true;
  }
  if (!added) return refuse("ADD_PROVIDER names no provider record for the sender");
  return HandlerResult{};
}

}  // namespace prowl::kad
