// Multiaddr: a self-describing network address such as
// /ip4/127.0.0.1/tcp/4001/ws/p2p/12D3KooW..., in text and binary form
// (binary: repeated <varint code><value>, the value length-prefixed by a
// varint when the protocol's size is variable).
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "host/base/multiaddr/protocol.h"

namespace prowl::multiaddr {

/// The longest binary multiaddr accepted, in bytes.
inline constexpr size_t kMaxBytes = 1024;
/// The longest text multiaddr accepted, in bytes: the longest text a
/// kMaxBytes binary address prints as (/p2p-circuit: 12 characters for 2 bytes).
inline constexpr size_t kMaxTextBytes = 6 * kMaxBytes;

/// One /protocol/value step of an address.
struct Component {
  uint32_t code = 0;           ///< a code find_protocol(code) knows
  std::vector<uint8_t> value;  ///< binary value, without length prefix; empty for kNone

  friend auto operator<=>(const Component&, const Component&) = default;
};

/// Where a TCP-based address points: an IP literal or a DNS name, and a port.
struct TcpEndpoint {
  uint32_t host_protocol = 0;  ///< kIp4, kIp6, kDns, kDns4 or kDns6
  std::string host;            ///< canonical IP text, or the DNS name
  uint16_t port = 0;
};

/// A validated, non-empty multiaddr (or the empty one a decapsulation may
/// leave). A value type; const methods are safe to call from many threads.
class Multiaddr {
 public:
  /// The empty address (no components; to_string() is "").
  Multiaddr() = default;

  /// Parses the text form. Returns nullopt on malformed input, setting
  /// `error` (if given) to a message naming the input and the problem, e.g.
  /// "/ip4/1.2.3/tcp/1: invalid IPv4 address '1.2.3'". One trailing '/' is
  /// allowed; "/ipfs/" is read as "/p2p/".
  static std::optional<Multiaddr> parse(std::string_view text, std::string* error = nullptr);

  /// Parses the binary form. Returns nullopt on malformed input, setting
  /// `error` to a message naming the byte offset, e.g.
  /// "multiaddr byte 5: truncated /tcp value (needs 2 bytes, 1 left)".
  static std::optional<Multiaddr> from_bytes(std::span<const uint8_t> bytes,
                                             std::string* error = nullptr);

  /// Builds an address from components, validating each as from_bytes does.
  static std::optional<Multiaddr> from_components(std::vector<Component> components,
                                                  std::string* error = nullptr);

  /// The canonical text form; parse(to_string()) == *this.
  std::string to_string() const;

  /// The binary form; from_bytes(bytes()) == *this.
  std::vector<uint8_t> bytes() const;

  /// The components in order, outermost (e.g. /ip4) first.
  const std::vector<Component>& components() const noexcept { return components_; }

  /// True when the address has no components.
  bool empty() const noexcept { return components_.empty(); }

  /// Host and port when the address starts with /ip4|ip6|dns|dns4|dns6/<host>/tcp/<port>.
  std::optional<TcpEndpoint> tcp_endpoint() const;

  /// True when tcp_endpoint() holds and the next component is /ws or /wss.
  bool is_websocket() const;

  /// True when tcp_endpoint() holds and the next component is /wss.
  bool is_secure_websocket() const;

  /// The peer id multihash of a trailing /p2p component, if there is one.
  std::optional<std::vector<uint8_t>> peer_id_bytes() const;

  /// This address ending in /p2p/<peer_id> (replacing a trailing /p2p).
  /// Returns nullopt when `peer_id` is not a multihash or the result would
  /// exceed kMaxBytes; `error` then says which.
  std::optional<Multiaddr> with_peer(std::span<const uint8_t> peer_id,
                                     std::string* error = nullptr) const;

  /// This address without a trailing /p2p component.
  Multiaddr without_peer() const;

  /// This address followed by `inner`. Returns nullopt when the result would
  /// exceed kMaxBytes, with `error` saying so.
  std::optional<Multiaddr> encapsulate(const Multiaddr& inner, std::string* error = nullptr) const;

  /// This address cut before the last occurrence of `suffix`'s components;
  /// unchanged when `suffix` does not occur or is empty.
  Multiaddr decapsulate(const Multiaddr& suffix) const;

  friend auto operator<=>(const Multiaddr&, const Multiaddr&) = default;

 private:
  explicit Multiaddr(std::vector<Component> components) : components_(std::move(components)) {}

  std::vector<Component> components_;
};

}  // namespace prowl::multiaddr
