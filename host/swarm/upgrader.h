// Turns a raw transport stream into an authenticated, encrypted channel
// ready for Yamux: multistream-select "/noise", the Noise XX handshake, then
// multistream-select "/yamux/1.0.0" inside the secure channel.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <vector>

#include "host/base/identity/key_pair.h"
#include "host/base/identity/peer_id.h"
#include "host/wire/noise/secure_channel.h"
#include "transports/core/transport.h"

namespace prowl::swarm {

/// What an upgrade yields.
struct Upgraded {
  noise::SecureChannel channel;
  identity::PeerId remote;
  std::vector<uint8_t> early_data;  ///< decrypted Yamux bytes the peer sent right behind the negotiation
};

/// One upgrade of one stream; no timeouts of its own (the caller closes the
/// stream to abort). Not thread-safe.
class Upgrader {
 public:
  /// `stream` and `identity` must outlive the upgrade.
  Upgrader(transport::ByteStream& stream, const identity::KeyPair& identity);

  /// The dialer's side. When `expected` is set and the remote proves another
  /// identity, fails before sending our identity with "peer id mismatch:
  /// dialed X, remote proved Y". Throws std::runtime_error naming the step
  /// that failed, or boost::system::system_error from the stream.
  boost::asio::awaitable<Upgraded> outbound(std::optional<identity::PeerId> expected);

  /// The listener's side. Throws as outbound().
  boost::asio::awaitable<Upgraded> inbound();

 private:
  boost::asio::awaitable<Upgraded> run(bool initiator, const std::optional<identity::PeerId>& expected);
  boost::asio::awaitable<std::span<const uint8_t>> read_more(const char* step);

  transport::ByteStream& stream_;
  const identity::KeyPair& identity_;
  std::vector<uint8_t> buffer_;
};

}  // namespace prowl::swarm
