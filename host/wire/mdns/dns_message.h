// DNS messages as Multicast DNS (RFC 6762) uses them: the wire format is read
// and written by NLnet Labs' ldns; this layer maps it to plain values that
// keep the mDNS bits of the class field (unicast-response in questions,
// cache-flush in records) apart from the class itself. Only PTR and TXT data
// are kept; other records keep owner, type, class and TTL.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace prowl::mdns {

/// The largest mDNS message read or written, in bytes (RFC 6762 section 17).
inline constexpr size_t kMaxMessageBytes = 9000;

inline constexpr uint16_t kTypePtr = 12;   ///< RR type PTR
inline constexpr uint16_t kTypeTxt = 16;   ///< RR type TXT
inline constexpr uint16_t kTypeAny = 255;  ///< QTYPE "*"
inline constexpr uint16_t kClassIn = 1;    ///< class IN

/// One question. `name` is the presentation form without the trailing dot.
struct DnsQuestion {
  std::string name;
  uint16_t type = kTypePtr;
  uint16_t rr_class = kClassIn;   ///< the low 15 bits of the QCLASS field
  bool unicast_response = false;  ///< the QU bit, the top bit of QCLASS

  friend bool operator==(const DnsQuestion&, const DnsQuestion&) = default;
};

/// One resource record. `name` and `target` are presentation forms without
/// the trailing dot.
struct DnsRecord {
  std::string name;
  uint16_t type = kTypePtr;
  uint16_t rr_class = kClassIn;  ///< the low 15 bits of the CLASS field
  bool cache_flush = false;      ///< the top bit of CLASS
  uint32_t ttl = 0;              ///< seconds
  std::string target;            ///< PTR: the name pointed to; empty otherwise
  std::vector<std::string> texts;  ///< TXT: the character strings (each <= 255 bytes)

  friend bool operator==(const DnsRecord&, const DnsRecord&) = default;
};

/// A whole message. Only opcode QUERY with rcode NOERROR exists in mDNS.
struct DnsMessage {
  uint16_t id = 0;
  bool response = false;       ///< QR
  bool authoritative = false;  ///< AA
  bool truncated = false;      ///< TC
  std::vector<DnsQuestion> questions;
  std::vector<DnsRecord> answers;
  std::vector<DnsRecord> authorities;
  std::vector<DnsRecord> additionals;

  friend bool operator==(const DnsMessage&, const DnsMessage&) = default;
};

/// Parses one message of at most kMaxMessageBytes. Returns nullopt, with a
/// reason naming the problem (and the section and record where it lies) in
/// `error` if given, for malformed wire data, opcodes other than QUERY,
/// non-zero rcodes and PTR/TXT records whose data is not of their type.
/// Thread-safe.
std::optional<DnsMessage> decode_dns_message(std::span<const uint8_t> wire,
                                             std::string* error = nullptr);

/// The wire form of `message`, names compressed. Supports PTR and TXT record
/// data only. Returns nullopt, with the reason in `error` if given, for an
/// invalid name (label over 63 bytes, name over 255), a TXT string over 255
/// bytes, another record type, or a result over kMaxMessageBytes. Thread-safe.
std::optional<std::vector<uint8_t>> encode_dns_message(const DnsMessage& message,
                                                       std::string* error = nullptr);

/// True when `a` and `b` are the same DNS name (ASCII case-insensitive).
bool same_dns_name(std::string_view a, std::string_view b) noexcept;

}  // namespace prowl::mdns
