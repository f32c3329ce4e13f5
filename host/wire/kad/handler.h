// The server side of the DHT, sans-IO: turns one decoded request from a
// peer into the response to write back, reading and updating the routing
// table's view, the stores and the address book.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "host/base/identity/peer_id.h"
#include "host/wire/kad/address_book.h"
#include "host/wire/kad/constants.h"
#include "host/wire/kad/message.h"
#include "host/wire/kad/provider_store.h"
#include "host/wire/kad/record_store.h"
#include "host/wire/kad/routing_table.h"
#include "host/wire/kad/validator.h"
#include "host/base/multiaddr/multiaddr.h"

namespace prowl::kad {

/// What to do with a request.
struct HandlerResult {
  /// The message to write back; absent for ADD_PROVIDER, which has none.
  std::optional<Message> response;
  /// Non-empty when the request was refused (the stream should be reset);
  /// says why.
  std::string error;
};

/// Answers requests. Holds references to state owned elsewhere, which must
/// outlive it. Not thread-safe: use it from the executor owning that state.
class Handler {
 public:
  /// Returns the local peer's current listen addresses (without /p2p/).
  using LocalAddresses = std::function<std::vector<multiaddr::Multiaddr>()>;

  /// `local_addresses` answers for the local peer (`table.local()`) when it
  /// is itself a provider, since the address book holds only remote peers.
  Handler(const RoutingTable& table, AddressBook& addresses, RecordStore& records,
          ProviderStore& providers, const Validator& validator, LocalAddresses local_addresses);

  /// Answers `request` from `from` at `now`:
  ///  - FIND_NODE: the k peers closest to the key (that we have addresses for);
  ///  - GET_VALUE: the live record under the key, if any, and closer peers;
  ///  - PUT_VALUE: validates the record (whose key must be the message key),
  ///    keeps the better of it and the stored one, stores it; echoes the request;
  ///  - ADD_PROVIDER: stores the provider entries naming `from` itself (others
  ///    are ignored; none is an error); no response;
  ///  - GET_PROVIDERS: up to kMaxPeersPerMessage live providers, each with its
  ///    known addresses (the local peer's own when it provides), and closer peers;
  ///  - PING: an empty PING.
  /// The requester itself is never among the closer peers. Observing `from`
  /// in the routing table is the caller's business (it knows the peer's mode).
  HandlerResult handle(const identity::PeerId& from, const Message& request, Time now);

 private:
  HandlerResult put_value(const identity::PeerId& from, const Message& request, Time now);
  HandlerResult add_provider(const identity::PeerId& from, const Message& request, Time now);
  // The k closest peers to `key` with known addresses, except `from`.
  std::vector<PeerInfo> closer_peers(std::span<const uint8_t> key, const identity::PeerId& from) const;

  const RoutingTable& table_;
  AddressBook& addresses_;
  RecordStore& records_;
  ProviderStore& providers_;
  const Validator& validator_;
  LocalAddresses local_addresses_;
};

}  // namespace prowl::kad
