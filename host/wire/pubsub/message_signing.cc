#include "host/wire/pubsub/message_signing.h"

#include <vector>

namespace prowl::pubsub {
namespace {

std::vector<uint8_t> signed_payload(const pb::Message& message) {
  pb::Message unsigned_copy = message;
  unsigned_copy.clear_signature();
  unsigned_copy.clear_key();
  std::vector<uint8_t> payload(kSignaturePrefix.begin(), kSignaturePrefix.end());
  const size_t body = unsigned_copy.ByteSizeLong();
  payload.resize(kSignaturePrefix.size() + body);
  unsigned_copy.SerializeWithCachedSizesToArray(payload.data() + kSignaturePrefix.size());
  return payload;
}

std::span<const uint8_t> as_bytes(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

}  // namespace

void sign_message(const identity::KeyPair& key, pb::Message& message) {
  const identity::PeerId id = identity::PeerId::from_public_key(key.public_key());
  message.set_from(std::string(id.bytes().begin(), id.bytes().end()));
  message.clear_key();
  message.clear_signature();
  const auto signature = key.sign(signed_payload(message));
  message.set_signature(std::string(signature.begin(), signature.end()));
}

std::optional<identity::PeerId> verify_message(const pb::Message& message, std::string* error) {
  auto fail = [&](const std::string& why) -> std::optional<identity::PeerId> {
    if (error) *error = "message signature: " + why;
    return std::nullopt;
  };
  if (!message.has_from()) return fail("`from` missing");
  std::string why;
  auto author = identity::PeerId::from_bytes(as_bytes(message.from()), &why);
  if (!author) return fail("`from` is no peer id (" + why + ")");
  if (message.seqno().size() != kSeqnoBytes)
    return fail("seqno has " + std::to_string(message.seqno().size()) + " bytes, not 8");
  if (!message.has_signature()) return fail("signature missing");
  std::optional<identity::PublicKey> key;
  if (message.has_key()) {
    key = identity::PublicKey::from_protobuf(as_bytes(message.key()), &why);
    if (!key) return fail("`key` unusable (" + why + ")");
    if (identity::PeerId::from_public_key(*key) != *author)
      return fail("`key` does not belong to `from`");
  } else {
    key = author->public_key();
    if (!key) return fail("`key` missing and `from` does not inline an Ed25519 key");
  }
  if (!key->verify(signed_payload(message), as_bytes(message.signature())))
    return fail("invalid signature");
  return author;
}

std::string encode_seqno(uint64_t seqno) {
  std::string out(kSeqnoBytes, '\0');
  for (size_t i = 0; i < kSeqnoBytes; ++i)
    out[i] = static_cast<char>(seqno >> (8 * (kSeqnoBytes - 1 - i)));
  return out;
}

}  // namespace prowl::pubsub
