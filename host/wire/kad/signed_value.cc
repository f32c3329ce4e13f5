#include "host/wire/kad/signed_value.h"

#include <algorithm>

#include "host/base/encoding/varint.h"
#include "host/wire/kad/constants.h"
#include "host/wire/kad/signed_value.pb.h"

namespace prowl::kad {
namespace {

constexpr std::string_view kDomain = "prowl-kad-signed-value:";
constexpr std::string_view kNamespace = "/prowl/";

std::span<const uint8_t> as_bytes(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

std::optional<SignedValue> fail(std::string* error, const std::string& why) {
  if (error) *error = "signed value: " + why;
  return std::nullopt;
}

}  // namespace

SignedValue SignedValue::sign(const identity::KeyPair& publisher, std::span<const uint8_t> key,
                              std::vector<uint8_t> value, uint64_t sequence) {
  const auto signature = publisher.sign(signing_payload(key, value, sequence));
  return SignedValue(publisher.public_key(), std::move(value), sequence, signature);
}

std::optional<SignedValue> SignedValue::decode(std::span<const uint8_t> bytes, std::string* error) {
  if (bytes.size() > kMaxValueBytes) {
    return fail(error, std::to_string(bytes.size()) + " bytes exceed the limit of " +
                           std::to_string(kMaxValueBytes));
  }
  pb::SignedValue m;
  if (!m.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return fail(error, std::to_string(bytes.size()) + " bytes are not a SignedValue protobuf");
  }
  std::string why;
  auto publisher = identity::PublicKey::from_protobuf(as_bytes(m.publickey()), &why);
  if (!publisher) return fail(error, "publicKey: " + why);
  std::array<uint8_t, 64> signature{};
  if (m.signature().size() != signature.size()) {
    return fail(error, "signature of " + std::to_string(m.signature().size()) +
                           " bytes, expected 64");
  }
  std::copy(m.signature().begin(), m.signature().end(), signature.begin());
  return SignedValue(*publisher, {m.value().begin(), m.value().end()}, m.sequence(), signature);
}

std::vector<uint8_t> SignedValue::record_key(const identity::PeerId& publisher,
                                             std::string_view name) {
  std::string key(kNamespace);
  key += publisher.to_string();
  key += '/';
  key += name;
  return {key.begin(), key.end()};
}

std::vector<uint8_t> SignedValue::signing_payload(std::span<const uint8_t> key,
                                                  std::span<const uint8_t> value,
                                                  uint64_t sequence) {
  std::vector<uint8_t> out(kDomain.begin(), kDomain.end());
  encoding::append_varint(out, key.size());
  out.insert(out.end(), key.begin(), key.end());
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<uint8_t>(sequence >> shift));
  encoding::append_varint(out, value.size());
  out.insert(out.end(), value.begin(), value.end());
  return out;
}

std::vector<uint8_t> SignedValue::encode() const {
  pb::SignedValue m;
  const auto key = publisher_.to_protobuf();
  m.set_publickey(std::string(key.begin(), key.end()));
  m.set_value(std::string(value_.begin(), value_.end()));
  m.set_sequence(sequence_);
  m.set_signature(std::string(signature_.begin(), signature_.end()));
  std::vector<uint8_t> out(m.ByteSizeLong());
  m.SerializeWithCachedSizesToArray(out.data());
  return out;
}

bool SignedValue::verify(std::span<const uint8_t> key) const {
  return publisher_.verify(signing_payload(key, value_, sequence_), signature_);
}

}  // namespace prowl::kad
