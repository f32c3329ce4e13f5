#include "host/base/peer_record/envelope.h"

#include <stdexcept>
#include <utility>

#include "host/base/encoding/varint.h"
#include "host/base/peer_record/envelope.pb.h"

namespace prowl::peer_record {
namespace {

std::span<const uint8_t> as_span(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

void append_field(std::vector<uint8_t>& out, std::span<const uint8_t> field) {
  encoding::append_varint(out, field.size());
  out.insert(out.end(), field.begin(), field.end());
}

bool fail(std::string* error, std::string message) {
  if (error != nullptr) *error = "signed envelope: " + std::move(message);
  return false;
}

}  // namespace

std::vector<uint8_t> envelope_signing_input(std::string_view domain,
                                            std::span<const uint8_t> payload_type,
                                            std::span<const uint8_t> payload) {
  std::vector<uint8_t> out;
  out.reserve(domain.size() + payload_type.size() + payload.size() + 3 * encoding::kVarintMaxBytes);
  append_field(out, {reinterpret_cast<const uint8_t*>(domain.data()), domain.size()});
  append_field(out, payload_type);
  append_field(out, payload);
  return out;
}

Envelope::Envelope(identity::PublicKey key, std::vector<uint8_t> payload_type,
                   std::vector<uint8_t> payload, std::vector<uint8_t> bytes)
    : public_key_(key),
      payload_type_(std::move(payload_type)),
      payload_(std::move(payload)),
      bytes_(std::move(bytes)) {}

Envelope Envelope::seal(const identity::KeyPair& key, std::string_view domain,
                        std::span<const uint8_t> payload_type, std::span<const uint8_t> payload) {
  if (payload_type.size() > kMaxPayloadTypeBytes) {
    throw std::length_error("signed envelope: payload type of " + std::to_string(payload_type.size()) +
                            " bytes exceeds " + std::to_string(kMaxPayloadTypeBytes));
  }
  const auto signature = key.sign(envelope_signing_input(domain, payload_type, payload));
  const auto public_key = key.public_key().to_protobuf();
  pb::Envelope message;
  message.set_public_key(public_key.data(), public_key.size());
  message.set_payload_type(payload_type.data(), payload_type.size());
  message.set_payload(payload.data(), payload.size());
  message.set_signature(signature.data(), signature.size());
  std::vector<uint8_t> bytes(message.ByteSizeLong());
  if (bytes.size() > kMaxEnvelopeBytes) {
    throw std::length_error("signed envelope: " + std::to_string(bytes.size()) + " bytes exceed " +
                            std::to_string(kMaxEnvelopeBytes));
  }
  message.SerializeWithCachedSizesToArray(bytes.data());
  return Envelope(key.public_key(), {payload_type.begin(), payload_type.end()},
                  {payload.begin(), payload.end()}, std::move(bytes));
}

std::optional<Envelope> Envelope::open(std::span<const uint8_t> bytes, std::string_view domain,
                                       std::string* error) {
  if (bytes.size() > kMaxEnvelopeBytes) {
    fail(error, std::to_string(bytes.size()) + " bytes exceed the limit of " +
                    std::to_string(kMaxEnvelopeBytes));
    return std::nullopt;
  }
  pb::Envelope message;
  if (!message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    fail(error, std::to_string(bytes.size()) + " bytes are not an Envelope protobuf");
    return std::nullopt;
  }
  if (message.public_key().empty()) {
    fail(error, "public_key (field 1) is missing");
    return std::nullopt;
  }
  if (message.payload_type().empty()) {
    fail(error, "payload_type (field 2) is missing");
    return std::nullopt;
  }
  if (message.payload_type().size() > kMaxPayloadTypeBytes) {
    fail(error, "payload_type (field 2) of " + std::to_string(message.payload_type().size()) +
                    " bytes exceeds " + std::to_string(kMaxPayloadTypeBytes));
    return std::nullopt;
  }
  if (message.signature().empty()) {
    fail(error, "signature (field 5) is missing");
    return std::nullopt;
  }
  std::string why;
  auto key = identity::PublicKey::from_protobuf(as_span(message.public_key()), &why);
  if (!key) {
    fail(error, "public_key (field 1): " + why);
    return std::nullopt;
  }
  const auto payload_type = as_span(message.payload_type());
  const auto payload = as_span(message.payload());
  if (!key->verify(envelope_signing_input(domain, payload_type, payload),
                   as_span(message.signature()))) {
    fail(error, "signature (field 5) does not verify for domain '" + std::string(domain) + "'");
    return std::nullopt;
  }
  return Envelope(*key, {payload_type.begin(), payload_type.end()}, {payload.begin(), payload.end()},
                  {bytes.begin(), bytes.end()});
}

}  // namespace prowl::peer_record
