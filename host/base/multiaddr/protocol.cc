#include "host/base/multiaddr/protocol.h"

#include <arpa/inet.h>

#include <array>
#include <charconv>

#include "host/base/encoding/base58.h"
#include "host/base/encoding/varint.h"

namespace prowl::multiaddr {
namespace {

constexpr std::array<Protocol, 14> kProtocols = {{
    {kIp4, "ip4", ValueKind::kIpv4},
    {kTcp, "tcp", ValueKind::kPort},
    {kIp6, "ip6", ValueKind::kIpv6},
    {kDns, "dns", ValueKind::kDnsName},
    {kDns4, "dns4", ValueKind::kDnsName},
    {kDns6, "dns6", ValueKind::kDnsName},
    {kDnsaddr, "dnsaddr", ValueKind::kDnsName},
    {kUdp, "udp", ValueKind::kPort},
    {kP2pCircuit, "p2p-circuit", ValueKind::kNone},
    {kP2p, "p2p", ValueKind::kPeerId},
    {kTls, "tls", ValueKind::kNone},
    {kQuicV1, "quic-v1", ValueKind::kNone},
    {kWs, "ws", ValueKind::kNone},
    {kWss, "wss", ValueKind::kNone},
}};

// Longest text inet_pton is asked to read; longer input is never an address.
constexpr size_t kMaxIpTextBytes = 64;
// Decimal digits accepted for a port, leading zeros included.
constexpr size_t kMaxPortDigits = 5;

std::string quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

bool set_error(std::string* error, std::string message) {
  if (error) *error = std::move(message);
  return false;
}

std::optional<std::vector<uint8_t>> ip_from_text(int family, std::string_view text,
                                                 std::string* error) {
  const bool v4 = family == AF_INET;
  std::vector<uint8_t> out(v4 ? 4 : 16);
  const std::string copy(text.substr(0, kMaxIpTextBytes));
  if (text.size() > kMaxIpTextBytes || inet_pton(family, copy.c_str(), out.data()) != 1) {
    set_error(error, std::string(v4 ? "invalid IPv4 address " : "invalid IPv6 address ") +
                         quoted(text.substr(0, kMaxIpTextBytes)));
    return std::nullopt;
  }
  return out;
}

std::optional<std::vector<uint8_t>> port_from_text(const Protocol& protocol, std::string_view text,
                                                   std::string* error) {
  const bool digits_only =
      !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
  if (!digits_only) {
    set_error(error, "invalid /" + std::string(protocol.name) + " port " + quoted(text));
    return std::nullopt;
  }
  uint32_t port = 0;
  if (text.size() > kMaxPortDigits ||
      std::from_chars(text.data(), text.data() + text.size(), port).ec != std::errc{} ||
      port > 0xffff) {
    set_error(error, "port " + std::string(text) + " out of range");
    return std::nullopt;
  }
  return std::vector<uint8_t>{static_cast<uint8_t>(port >> 8), static_cast<uint8_t>(port & 0xff)};
}

bool check_dns_name(const Protocol& protocol, std::string_view name, std::string* error) {
  const std::string what = "/" + std::string(protocol.name) + " name";
  if (name.empty()) return set_error(error, "empty " + what);
  if (name.size() > kMaxDnsNameBytes)
    return set_error(error, what + " longer than " + std::to_string(kMaxDnsNameBytes) + " bytes");
  for (size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    if (c <= 0x20 || c >= 0x7f || c == '/')
      return set_error(error, what + " has a byte that is not printable ASCII (or is '/') at " +
                                  std::to_string(i));
  }
  return true;
}

// A multihash is <varint code><varint digest length><digest>.
bool check_multihash(std::span<const uint8_t> value, std::string* error) {
  if (value.empty()) return set_error(error, "empty peer id");
  if (value.size() > kMaxPeerIdBytes)
    return set_error(error, "peer id longer than " + std::to_string(kMaxPeerIdBytes) + " bytes");
  using Status = encoding::VarintResult::Status;
  const auto code = encoding::decode_varint(value);
  if (code.status != Status::kOk)
    return set_error(error, std::string("peer id multihash code: ") +
                                (code.error ? code.error : "truncated varint"));
  const auto length = encoding::decode_varint(value.subspan(code.length));
  if (length.status != Status::kOk)
    return set_error(error, std::string("peer id multihash length: ") +
                                (length.error ? length.error : "truncated varint"));
  const size_t digest = value.size() - code.length - length.length;
  if (length.value != digest)
    return set_error(error, "peer id multihash declares a " + std::to_string(length.value) +
                                "-byte digest but holds " + std::to_string(digest));
  return true;
}

}  // namespace

std::optional<size_t> Protocol::fixed_size() const noexcept {
  switch (kind) {
    case ValueKind::kNone:
      return 0;
    case ValueKind::kIpv4:
      return 4;
    case ValueKind::kIpv6:
      return 16;
    case ValueKind::kPort:
      return 2;
    case ValueKind::kDnsName:
    case ValueKind::kPeerId:
      break;
  }
  return std::nullopt;
}

const Protocol* find_protocol(std::string_view name) noexcept {
  if (name == "ipfs") name = "p2p";
  for (const auto& p : kProtocols)
    if (p.name == name) return &p;
  return nullptr;
}

const Protocol* find_protocol(uint32_t code) noexcept {
  for (const auto& p : kProtocols)
    if (p.code == code) return &p;
  return nullptr;
}

std::optional<std::vector<uint8_t>> value_from_text(const Protocol& protocol, std::string_view text,
                                                    std::string* error) {
  switch (protocol.kind) {
    case ValueKind::kIpv4:
      return ip_from_text(AF_INET, text, error);
    case ValueKind::kIpv6:
      return ip_from_text(AF_INET6, text, error);
    case ValueKind::kPort:
      return port_from_text(protocol, text, error);
    case ValueKind::kDnsName:
      if (!check_dns_name(protocol, text, error)) return std::nullopt;
      return std::vector<uint8_t>(text.begin(), text.end());
    case ValueKind::kPeerId: {
      std::string why;
      auto bytes = encoding::base58_decode(text, &why);
      if (bytes && !check_multihash(*bytes, &why)) bytes.reset();
      if (!bytes) set_error(error, "invalid peer id " + quoted(text.substr(0, 64)) + ": " + why);
      return bytes;
    }
    case ValueKind::kNone:
      break;
  }
  set_error(error, "/" + std::string(protocol.name) + " takes no value");
  return std::nullopt;
}

bool check_value(const Protocol& protocol, std::span<const uint8_t> value, std::string* error) {
  if (const auto size = protocol.fixed_size()) {
    if (value.size() != *size)
      return set_error(error, "/" + std::string(protocol.name) + " value must be " +
                                  std::to_string(*size) + " bytes, not " +
                                  std::to_string(value.size()));
    return true;  // every 4, 16 or 2 bytes form a valid address or port
  }
  if (protocol.kind == ValueKind::kDnsName)
    return check_dns_name(protocol, {reinterpret_cast<const char*>(value.data()), value.size()},
                          error);
  return check_multihash(value, error);
}

std::string value_to_text(const Protocol& protocol, std::span<const uint8_t> value) {
  switch (protocol.kind) {
    case ValueKind::kIpv4:
    case ValueKind::kIpv6: {
      char buf[INET6_ADDRSTRLEN] = {};
      inet_ntop(protocol.kind == ValueKind::kIpv4 ? AF_INET : AF_INET6, value.data(), buf,
                sizeof buf);
      return buf;
    }
    case ValueKind::kPort:
      return std::to_string((unsigned{value[0]} << 8) | value[1]);
    case ValueKind::kDnsName:
      return {value.begin(), value.end()};
    case ValueKind::kPeerId:
      return encoding::base58_encode(value);
    case ValueKind::kNone:
      break;
  }
  return {};
}

}  // namespace prowl::multiaddr
