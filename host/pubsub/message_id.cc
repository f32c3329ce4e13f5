#include "host/pubsub/message_id.h"

namespace prowl::pubsub {

MessageId default_message_id(const pb::Message& message) {
  return message.from() + message.seqno();
}

}  // namespace prowl::pubsub
