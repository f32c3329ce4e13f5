// Message ids, the public form of a pubsub message, and the id functions.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "host/base/identity/peer_id.h"
#include "host/wire/pubsub/rpc.pb.h"

namespace prowl::pubsub {

/// Opaque message id bytes.
using MessageId = std::string;

/// The clock every pubsub component reads.
using Clock = std::chrono::steady_clock;

/// A validated (StrictSign) message as the application sees it.
struct Message {
  identity::PeerId from;      ///< the author
  uint64_t seqno = 0;         ///< the author's sequence number
  std::string topic;
  std::vector<uint8_t> data;
};

/// The default message id of the pubsub spec: `from` followed by `seqno`.
MessageId default_message_id(const pb::Message& message);

/// A content-addressed message id: the 32-byte SHA-256 digest of the
/// message's data alone, so equal payloads from any author or seqno are one
/// message. Thread-safe.
MessageId content_message_id(const pb::Message& message);

}  // namespace prowl::pubsub
