#include "host/wire/pubsub/message_id.h"

#include <sodium.h>

#include "host/base/identity/sodium_init.h"

namespace prowl::pubsub {

MessageId default_message_id(const pb::Message& message) {
  return message.from() + message.seqno();
}

MessageId content_message_id(const pb::Message& message) {
  identity::ensure_sodium_initialized();
  const std::string& data = message.data();
  MessageId id(crypto_hash_sha256_BYTES, '\0');
  crypto_hash_sha256(reinterpret_cast<unsigned char*>(id.data()),
                     reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return id;
}

}  // namespace prowl::pubsub
