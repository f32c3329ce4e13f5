// The multiaddr protocols prowl understands (codes from the multicodec
// table) and the text <-> binary codecs of their values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace prowl::multiaddr {

/// Protocol codes, as in the multicodec table.
inline constexpr uint32_t kIp4 = 0x04;
inline constexpr uint32_t kTcp = 0x06;
inline constexpr uint32_t kIp6 = 0x29;
inline constexpr uint32_t kDns = 0x35;
inline constexpr uint32_t kDns4 = 0x36;
inline constexpr uint32_t kDns6 = 0x37;
inline constexpr uint32_t kDnsaddr = 0x38;
inline constexpr uint32_t kUdp = 0x0111;
inline constexpr uint32_t kP2pCircuit = 0x0122;
inline constexpr uint32_t kP2p = 0x01a5;
inline constexpr uint32_t kTls = 0x01c0;
inline constexpr uint32_t kQuicV1 = 0x01cd;
inline constexpr uint32_t kWs = 0x01dd;
inline constexpr uint32_t kWss = 0x01de;

/// The longest DNS name a /dns* value may hold, in bytes.
inline constexpr size_t kMaxDnsNameBytes = 255;
/// The longest /p2p value (a multihash), in bytes.
inline constexpr size_t kMaxPeerIdBytes = 128;

/// How a protocol's value is written.
enum class ValueKind {
  kNone,     ///< no value (e.g. /ws)
  kIpv4,     ///< 4 bytes; dotted-quad text
  kIpv6,     ///< 16 bytes; RFC 5952 text
  kPort,     ///< 2 bytes big-endian; decimal text
  kDnsName,  ///< length-prefixed printable ASCII without '/'
  kPeerId,   ///< length-prefixed multihash; base58btc text
};

/// One row of the protocol table. Instances are static and immutable.
struct Protocol {
  uint32_t code;
  std::string_view name;
  ValueKind kind;

  /// Size of the value in bytes for fixed-size kinds; nullopt when the value
  /// is length-prefixed on the wire.
  std::optional<size_t> fixed_size() const noexcept;
};

/// The protocol called `name` in text form ("ipfs" is accepted for p2p),
/// or nullptr. Thread-safe.
const Protocol* find_protocol(std::string_view name) noexcept;

/// The protocol with multicodec `code`, or nullptr. Thread-safe.
const Protocol* find_protocol(uint32_t code) noexcept;

/// Converts a value's text form to its binary form (without a length
/// prefix). On failure returns nullopt and sets `error` to a message such as
/// "invalid IPv4 address '1.2.3'". REQUIRES: protocol.kind != kNone.
std::optional<std::vector<uint8_t>> value_from_text(const Protocol& protocol, std::string_view text,
                                                    std::string* error);

/// Checks a binary value (without length prefix) from an untrusted source.
/// Returns false and sets `error` when it is not a valid value of `protocol`.
bool check_value(const Protocol& protocol, std::span<const uint8_t> value, std::string* error);

/// The text form of a binary value. REQUIRES: check_value(protocol, value)
/// holds; the result then converts back to the same bytes.
std::string value_to_text(const Protocol& protocol, std::span<const uint8_t> value);

}  // namespace prowl::multiaddr
