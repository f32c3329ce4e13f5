#include "host/base/identity/peer_id.h"

#include <cstdio>

#include "host/base/encoding/base58.h"
#include "host/base/encoding/varint.h"

namespace prowl::identity {
namespace {

// Multihash codes the peer-id spec allows.
constexpr uint64_t kIdentityCode = 0x00;
constexpr uint64_t kSha256Code = 0x12;
// Keys whose protobuf is at most this long are inlined with the identity code.
constexpr size_t kMaxInlineKeyBytes = 42;
constexpr size_t kSha256Bytes = 32;
// Longer than the base58 form of any accepted multihash (at most 60 characters).
constexpr size_t kMaxPeerIdChars = 128;

std::optional<PeerId> fail(std::string* error, const std::string& why) {
  if (error) *error = "peer id: " + why;
  return std::nullopt;
}

std::string hex_code(uint64_t code) {
  char text[24];
  std::snprintf(text, sizeof text, "0x%llx", static_cast<unsigned long long>(code));
  return text;
}

}  // namespace

PeerId PeerId::from_public_key(const PublicKey& key) {
  const std::vector<uint8_t> encoded = key.to_protobuf();
  std::vector<uint8_t> bytes;
  encoding::append_varint(bytes, kIdentityCode);
  encoding::append_varint(bytes, encoded.size());
  bytes.insert(bytes.end(), encoded.begin(), encoded.end());
  return PeerId(std::move(bytes));
}

std::optional<PeerId> PeerId::from_bytes(std::span<const uint8_t> multihash, std::string* error) {
  using encoding::VarintResult;
  if (multihash.empty()) return fail(error, "empty");
  const VarintResult code = encoding::decode_varint(multihash);
  if (code.status != VarintResult::Status::kOk)
    return fail(error, "malformed multihash code varint");
  const VarintResult length = encoding::decode_varint(multihash.subspan(code.length));
  if (length.status != VarintResult::Status::kOk)
    return fail(error, "malformed multihash length varint");
  const size_t digest_size = multihash.size() - code.length - length.length;
  if (length.value != digest_size)
    return fail(error, "multihash declares " + std::to_string(length.value) +
                           " digest bytes but holds " + std::to_string(digest_size));
  if (code.value == kIdentityCode) {
    if (digest_size > kMaxInlineKeyBytes)
      return fail(error, "identity multihash longer than " +
                             std::to_string(kMaxInlineKeyBytes) + " bytes");
  } else if (code.value == kSha256Code) {
    if (digest_size != kSha256Bytes)
      return fail(error, "sha2-256 digest must be 32 bytes, got " + std::to_string(digest_size));
  } else {
    return fail(error, "unsupported multihash code " + hex_code(code.value) +
                           " (expected identity 0x0 or sha2-256 0x12)");
  }
  return PeerId(std::vector<uint8_t>(multihash.begin(), multihash.end()));
}

std::optional<PeerId> PeerId::from_string(std::string_view text, std::string* error) {
  if (text.empty()) return fail(error, "empty");
  if (text.size() > kMaxPeerIdChars)
    return fail(error, "longer than " + std::to_string(kMaxPeerIdChars) + " characters");
  std::string why;
  auto bytes = encoding::base58_decode(text, &why);
  if (!bytes) return fail(error, why + " (peer ids are base58btc, e.g. 12D3KooW... or Qm...)");
  return from_bytes(*bytes, error);
}

std::string PeerId::to_string() const { return encoding::base58_encode(bytes_); }

std::optional<PublicKey> PeerId::public_key() const {
  // An identity multihash is 00 <length> <protobuf>; the length fits one byte.
  if (bytes_.size() < 2 || bytes_[0] != kIdentityCode) return std::nullopt;
  return PublicKey::from_protobuf(std::span(bytes_).subspan(2));
}

}  // namespace prowl::identity
