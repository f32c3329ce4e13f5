#include "host/base/identity/key_protobuf.h"

#include "host/base/identity/keys.pb.h"

namespace prowl::identity {
namespace {

const char* message_name(KeyMessage kind) {
  return kind == KeyMessage::kPublic ? "public key" : "private key";
}

template <typename Message>
std::optional<std::vector<uint8_t>> decode_as(KeyMessage kind, std::span<const uint8_t> bytes,
                                             size_t data_size, std::string* error) {
  const std::string what = message_name(kind);
  auto fail = [&](const std::string& why) -> std::optional<std::vector<uint8_t>> {
    if (error) *error = what + ": " + why;
    return std::nullopt;
  };
  if (bytes.size() > kMaxKeyMessageBytes)
    return fail("protobuf longer than " + std::to_string(kMaxKeyMessageBytes) + " bytes");
  Message message;
  if (!message.ParsePartialFromArray(bytes.data(), static_cast<int>(bytes.size())))
    return fail("malformed protobuf");
  if (!message.has_type()) return fail("key type missing or not a libp2p key type");
  if (message.type() != pb::Ed25519)
    return fail("unsupported key type " + pb::KeyType_Name(message.type()) +
                " (only Ed25519 is supported)");
  if (!message.has_data()) return fail("key data missing");
  if (message.data().size() != data_size)
    return fail("Ed25519 key data is " + std::to_string(message.data().size()) +
                " bytes, expected " + std::to_string(data_size));
  const std::string canonical = message.SerializeAsString();
  if (!message.unknown_fields().empty() || canonical.size() != bytes.size() ||
      !std::equal(canonical.begin(), canonical.end(), bytes.begin(),
                  [](char c, uint8_t b) { return static_cast<uint8_t>(c) == b; }))
    return fail("not the deterministic encoding (fields repeated, out of order or unknown)");
  return std::vector<uint8_t>(message.data().begin(), message.data().end());
}

template <typename Message>
std::vector<uint8_t> encode_as(std::span<const uint8_t> data) {
  Message message;
  message.set_type(pb::Ed25519);
  message.set_data(data.data(), data.size());
  std::vector<uint8_t> bytes(message.ByteSizeLong());
  message.SerializeToArray(bytes.data(), static_cast<int>(bytes.size()));
  return bytes;
}

}  // namespace

std::optional<std::vector<uint8_t>> decode_ed25519_key(KeyMessage kind,
                                                      std::span<const uint8_t> bytes,
                                                      size_t data_size, std::string* error) {
  return kind == KeyMessage::kPublic ? decode_as<pb::PublicKey>(kind, bytes, data_size, error)
                                     : decode_as<pb::PrivateKey>(kind, bytes, data_size, error);
}

std::vector<uint8_t> encode_ed25519_key(KeyMessage kind, std::span<const uint8_t> data) {
  return kind == KeyMessage::kPublic ? encode_as<pb::PublicKey>(data)
                                     : encode_as<pb::PrivateKey>(data);
}

}  // namespace prowl::identity
